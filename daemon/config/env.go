package config

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// EnvPrefix starts the name of every environment variable read by ApplyEnv.
const EnvPrefix = "JETSTREAM_"

// ApplyEnv applies JETSTREAM_* variables from environ (os.Environ form,
// "NAME=value") to s: JETSTREAM_API_PORT=9000 sets APIPort. Booleans accept
// true/false, 1/0, yes/no and on/off; lists are comma-separated (an empty
// value is an empty list); rates are ParseRate strings; durations are Go
// durations. Variables that are not configuration keys, such as
// JETSTREAM_API_PASSWORD, are ignored. When a value is bad nothing is applied
// and every problem is reported, one per line, as "JETSTREAM_API_PORT: reason".
func ApplyEnv(s *Server, environ []string) error {
	if s == nil {
		return errors.New("config: ApplyEnv to a nil Server")
	}
	last := map[string]string{}
	for _, kv := range environ {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(name, EnvPrefix) || specByEnv[name] == nil {
			continue
		}
		last[name] = value
	}
	names := make([]string, 0, len(last))
	for n := range last {
		names = append(names, n)
	}
	sort.Strings(names)
	next := *s
	var errs []error
	for _, n := range names {
		sp := specByEnv[n]
		v, err := sp.parse(last[n])
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", n, err))
			continue
		}
		sp.set(&next, v)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	*s = next
	return nil
}

// Set sets one key (a key or flag name such as "api-port") from its flag or
// environment form, with the same parsing and checks as ApplyEnv. On error s
// is unchanged.
func (s *Server) Set(key, value string) error {
	if s == nil {
		return errors.New("config: Set on a nil Server")
	}
	sp, ok := specByName[key]
	if !ok {
		return fmt.Errorf("unknown key %s%s", quoteShort(key), suggest(key, keyNames))
	}
	v, err := sp.parse(value)
	if err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	sp.set(s, v)
	return nil
}
