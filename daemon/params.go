package daemon

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/jetstream-go/jetstream/daemon/api"
)

// params are a request's parameters, checked against the method table:
// every key is known, has the declared JSON type, and required keys are
// present. JSON null counts as absent (Python's None).
type params struct {
	method api.Method
	raw    map[string]json.RawMessage
}

func parseParams(m api.Method, raw json.RawMessage) (params, error) {
	p := params{method: m, raw: map[string]json.RawMessage{}}
	raw = bytes.TrimSpace(raw)
	if len(raw) != 0 && !bytes.Equal(raw, []byte("null")) {
		if raw[0] != '{' {
			return p, api.Errorf(api.CodeInvalidParameter, "%s: parameters must be a JSON object", m.Name)
		}
		if err := json.Unmarshal(raw, &p.raw); err != nil {
			return p, api.Errorf(api.CodeInvalidParameter, "%s: parameters: %v", m.Name, err)
		}
	}
	for k, v := range p.raw {
		spec, ok := m.Param(k)
		if !ok {
			return p, api.Errorf(api.CodeInvalidParameter, "%s: unknown parameter %q (accepted: %s)", m.Name, k, paramNames(m))
		}
		if bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			delete(p.raw, k)
			continue
		}
		if err := checkType(spec, v); err != nil {
			return p, api.Errorf(api.CodeInvalidParameter, "%s: parameter %q: %v", m.Name, k, err)
		}
	}
	for _, spec := range m.Params {
		if _, ok := p.raw[spec.Name]; spec.Required && !ok {
			return p, api.Errorf(api.CodeInvalidParameter, "%s: missing required parameter %q", m.Name, spec.Name)
		}
	}
	return p, nil
}

func paramNames(m api.Method) string {
	if len(m.Params) == 0 {
		return "none"
	}
	names := make([]string, len(m.Params))
	for i, p := range m.Params {
		names[i] = p.Name
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func checkType(spec api.Param, v json.RawMessage) error {
	var err error
	switch spec.Type {
	case api.TString:
		var s string
		err = json.Unmarshal(v, &s)
	case api.TInt:
		if _, ok := parseInt(v); !ok {
			return fmt.Errorf("want an integer, got %s", v)
		}
	case api.TFloat:
		var f float64
		err = json.Unmarshal(v, &f)
	case api.TBool:
		var b bool
		err = json.Unmarshal(v, &b)
	case api.TObject:
		var m map[string]any
		err = json.Unmarshal(v, &m)
	case api.TList:
		var l []any
		err = json.Unmarshal(v, &l)
	case api.TStringList:
		var l []string
		err = json.Unmarshal(v, &l)
	case api.TAny:
		return nil
	}
	if err != nil {
		return fmt.Errorf("want %s, got %s", typeWord(spec.Type), abbreviate(v))
	}
	return nil
}

func typeWord(t api.ParamType) string {
	switch t {
	case api.TInt:
		return "an integer"
	case api.TFloat:
		return "a number"
	case api.TBool:
		return "true or false"
	case api.TObject:
		return "a JSON object"
	case api.TList:
		return "a JSON list"
	case api.TStringList:
		return "a list of strings"
	}
	return "a string"
}

func abbreviate(v json.RawMessage) string {
	s := string(v)
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return s
}

func (p params) has(name string) bool { _, ok := p.raw[name]; return ok }

func (p params) str(name string) string {
	var s string
	_ = json.Unmarshal(p.raw[name], &s)
	return s
}

func (p params) int(name string, def int64) int64 {
	v, ok := p.raw[name]
	if !ok {
		return def
	}
	n, _ := parseInt(v)
	return n
}

// parseInt reads a JSON integer exactly over the whole int64 range; a
// number written with a fraction or exponent (5.0, 1e3) is accepted when
// it is integral and exactly representable (|n| <= 2^53).
func parseInt(v json.RawMessage) (int64, bool) {
	var n int64
	if json.Unmarshal(v, &n) == nil {
		return n, true
	}
	var f float64
	if json.Unmarshal(v, &f) != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

func (p params) float(name string, def float64) float64 {
	v, ok := p.raw[name]
	if !ok {
		return def
	}
	var f float64
	_ = json.Unmarshal(v, &f)
	return f
}

func (p params) bool(name string, def bool) bool {
	v, ok := p.raw[name]
	if !ok {
		return def
	}
	var b bool
	_ = json.Unmarshal(v, &b)
	return b
}

// optBool returns nil when the parameter is absent.
func (p params) optBool(name string) *bool {
	if !p.has(name) {
		return nil
	}
	b := p.bool(name, false)
	return &b
}

func (p params) decode(name string, out any) error {
	v, ok := p.raw[name]
	if !ok {
		return nil
	}
	if err := json.Unmarshal(v, out); err != nil {
		return api.Errorf(api.CodeInvalidParameter, "%s: parameter %q: %v", p.method.Name, name, err)
	}
	return nil
}

func (p params) rawValue(name string) json.RawMessage { return p.raw[name] }

// invalid builds an invalid_parameter error naming the method and parameter.
func (p params) invalid(name, format string, args ...any) error {
	return api.Errorf(api.CodeInvalidParameter, "%s: parameter %q: %s", p.method.Name, name, fmt.Sprintf(format, args...))
}
