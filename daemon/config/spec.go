package config

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Key describes one server configuration key: a TOML key, a flag of
// `jetstream server` and an environment variable.
type Key struct {
	Name    string // TOML key, and flag name without the leading "--": "api-port"
	Env     string // environment variable, e.g. "JETSTREAM_API_PORT"
	Kind    Kind   // value type
	Section string // group heading in the template and help
	Default string // the default as a TOML literal, as root (e.g. "8886", `""`)
	Help    string // one-line explanation
}

// spec is a Key plus type-erased accessors for one Server field.
type spec struct {
	Key
	decode   func(v any) (any, error)    // decoded TOML value → checked field value
	parse    func(s string) (any, error) // flag/env string → checked field value
	set      func(s *Server, v any)
	check    func(s *Server) error
	format   func(s *Server) string // TOML literal of the field
	external func(v any) any        // the Lookup form of a field value
}

// codec converts one field type from TOML, strings and to TOML.
type codec[T any] struct {
	kind     Kind
	fromTOML func(any) (T, error)
	parse    func(string) (T, error)
	format   func(T) string
	external func(T) any
}

var (
	boolCodec = codec[bool]{KindBool, tomlBool, parseBool, strconv.FormatBool,
		func(b bool) any { return b }}
	intCodec = codec[int]{KindInt, tomlInt, parseInt, strconv.Itoa,
		func(n int) any { return n }}
	rateCodec = codec[float64]{KindRate, tomlRate, parseRateKbps, formatRate,
		func(f float64) any { return f }}
	stringCodec = codec[string]{KindString, tomlString, func(s string) (string, error) { return s, nil }, quoteTOML,
		func(s string) any { return s }}
	durationCodec = codec[time.Duration]{KindDuration, tomlDuration, parseDuration,
		func(d time.Duration) string { return quoteTOML(formatDuration(d)) },
		func(d time.Duration) any { return formatDuration(d) }}
	listCodec = codec[[]string]{KindStringList, tomlStringList, parseList, formatList,
		func(l []string) any {
			a := make([]any, len(l))
			for i, s := range l {
				a[i] = s
			}
			return a
		}}
)

// field builds the spec of the Server field that ptr selects.
func field[T any](section, name string, c codec[T], ptr func(*Server) *T, check func(T) error, help string) spec {
	decoded := func(v T, err error) (any, error) {
		if err != nil {
			return nil, err
		}
		if err := check(v); err != nil {
			return nil, err
		}
		return v, nil
	}
	return spec{
		Key: Key{
			Name:    name,
			Env:     envName(name),
			Kind:    c.kind,
			Section: section,
			Default: c.format(*ptr(&rootDefaults)),
			Help:    help,
		},
		decode:   func(v any) (any, error) { return decoded(c.fromTOML(v)) },
		parse:    func(s string) (any, error) { return decoded(c.parse(s)) },
		set:      func(s *Server, v any) { *ptr(s) = cloneValue(v.(T)) },
		check:    func(s *Server) error { return check(*ptr(s)) },
		format:   func(s *Server) string { return c.format(*ptr(s)) },
		external: func(v any) any { return c.external(v.(T)) },
	}
}

// cloneValue copies slices so that a Server never shares a list with a File.
func cloneValue[T any](v T) T {
	if l, ok := any(v).([]string); ok {
		return any(slices.Clone(l)).(T)
	}
	return v
}

// envName maps a key name to its environment variable.
func envName(name string) string {
	return "JETSTREAM_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// Keys lists every server configuration key in template order.
func Keys() []Key {
	out := make([]Key, len(specs))
	for i, s := range specs {
		out[i] = s.Key
	}
	return out
}

// keyNames lists the key names, for suggestions.
var keyNames = func() []string {
	names := make([]string, len(specs))
	for i, s := range specs {
		names[i] = s.Name
	}
	return names
}()

// specByName and specByEnv index specs.
var specByName, specByEnv = func() (map[string]*spec, map[string]*spec) {
	byName, byEnv := map[string]*spec{}, map[string]*spec{}
	for i := range specs {
		byName[specs[i].Name] = &specs[i]
		byEnv[specs[i].Env] = &specs[i]
	}
	return byName, byEnv
}()
