package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/jetstream-go/jetstream/daemon/api"
)

// parseMethodArgs turns `--name=value`, `--name value` and `--flag` words
// into the method's JSON parameters, typed by the method table. Repeating a
// list parameter appends to it.
func parseMethodArgs(m api.Method, args []string) (map[string]any, error) {
	out := map[string]any{}
	for i := 0; i < len(args); i++ {
		word := args[i]
		if !strings.HasPrefix(word, "--") || len(word) == 2 {
			return nil, fmt.Errorf("%s: unexpected argument %q: parameters are given as --name=value", m.Name, word)
		}
		name, val, hasVal := strings.Cut(word[2:], "=")
		spec, ok := m.Param(name)
		if !ok {
			neg, isNeg := strings.CutPrefix(name, "no-")
			if s2, ok2 := m.Param(neg); isNeg && ok2 && s2.Type == api.TBool && !hasVal {
				out[neg] = false
				continue
			}
			return nil, fmt.Errorf("%s: unknown parameter --%s (accepted: %s)", m.Name, name, acceptedParams(m))
		}
		if !hasVal {
			if spec.Type == api.TBool && (i+1 >= len(args) || !isBoolWord(args[i+1])) {
				out[name] = true
				continue
			}
			if i+1 >= len(args) {
				return nil, fmt.Errorf("%s: --%s needs a value", m.Name, name)
			}
			i++
			val = args[i]
		}
		v, err := convertParam(spec, val)
		if err != nil {
			return nil, fmt.Errorf("%s: --%s: %w", m.Name, name, err)
		}
		if isListParam(spec) {
			if prev, ok := out[name].([]any); ok {
				if l, ok := v.([]any); ok {
					v = append(prev, l...)
				}
			}
		} else if _, dup := out[name]; dup {
			return nil, fmt.Errorf("%s: --%s given twice", m.Name, name)
		}
		out[name] = v
	}
	return out, nil
}

func isListParam(p api.Param) bool {
	return p.Type == api.TList || p.Type == api.TStringList || p.Name == "fileMappings"
}

func isBoolWord(s string) bool {
	_, err := strconv.ParseBool(s)
	return err == nil
}

func acceptedParams(m api.Method) string {
	if len(m.Params) == 0 {
		return "none"
	}
	var names []string
	for _, p := range m.Params {
		names = append(names, "--"+p.Name)
	}
	return strings.Join(names, " ")
}

// convertParam converts one command-line value to the parameter's JSON type.
func convertParam(p api.Param, s string) (any, error) {
	switch p.Type {
	case api.TString:
		return s, nil
	case api.TInt:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("want an integer, got %q", s)
		}
		return n, nil
	case api.TFloat:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("want a number, got %q", s)
		}
		return f, nil
	case api.TBool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return nil, fmt.Errorf("want true or false, got %q", s)
		}
		return b, nil
	case api.TObject:
		var m map[string]any
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			return nil, fmt.Errorf("want a JSON object, got %q", s)
		}
		return m, nil
	case api.TList, api.TStringList:
		if strings.HasPrefix(strings.TrimSpace(s), "[") {
			var l []any
			if err := json.Unmarshal([]byte(s), &l); err != nil {
				return nil, fmt.Errorf("want a JSON list, got %q", s)
			}
			return l, nil
		}
		return []any{s}, nil
	}
	// TAny: JSON when it parses as an object, list, number or bool; else a
	// string. "src:dst" file mappings become a list of strings.
	t := strings.TrimSpace(s)
	if p.Name == "fileMappings" && !strings.HasPrefix(t, "{") && !strings.HasPrefix(t, "[") {
		return []any{s}, nil
	}
	var v any
	if t != "" && json.Unmarshal([]byte(t), &v) == nil {
		if p.Name == "fileMappings" {
			if l, ok := v.([]any); ok {
				return l, nil
			}
		}
		return v, nil
	}
	return s, nil
}
