package api

import (
	"sort"
	"strings"
)

// ParamType is the JSON type of a method parameter.
type ParamType string

// Parameter types.
const (
	TString     ParamType = "string"
	TInt        ParamType = "int"
	TFloat      ParamType = "float"
	TBool       ParamType = "bool"
	TObject     ParamType = "object"
	TList       ParamType = "list"
	TStringList ParamType = "stringList"
	// TAny accepts any JSON value; the method documents the shapes it takes.
	TAny ParamType = "any"
)

// Param describes one parameter of a method.
type Param struct {
	Name     string
	Type     ParamType
	Required bool
	Doc      string
}

// Method describes one API method: its wire name, parameters and rules.
type Method struct {
	Name      string // wire name with namespace prefix for send./recv.
	Params    []Param
	Superuser bool // only after superuser()
	NoAuth    bool // callable before auth
	Async     bool // returns a RequestRef
	Doc       string
	Done      string // success message; "OK" when empty
}

// SuccessMessage is the message of a successful response to m: the
// product's confirmation where it documents one ("Manifest requested."),
// else "OK".
func (m Method) SuccessMessage() string {
	if m.Done != "" {
		return m.Done
	}
	return "OK"
}

// Namespace returns "server", "send" or "recv".
func (m Method) Namespace() string {
	if i := strings.IndexByte(m.Name, '.'); i > 0 {
		return m.Name[:i]
	}
	return "server"
}

// Bare returns the name without its namespace prefix.
func (m Method) Bare() string {
	if i := strings.IndexByte(m.Name, '.'); i > 0 {
		return m.Name[i+1:]
	}
	return m.Name
}

// Param returns the named parameter.
func (m Method) Param(name string) (Param, bool) {
	for _, p := range m.Params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

var methodIndex = func() map[string]Method {
	idx := make(map[string]Method)
	for _, tab := range [][]Method{serverMethods, sendMethods, recvMethods} {
		for _, m := range tab {
			idx[m.Name] = m
		}
	}
	return idx
}()

// Methods returns every method sorted by name.
func Methods() []Method {
	out := make([]Method, 0, len(methodIndex))
	for _, m := range methodIndex {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Lookup finds a method by its wire name or by an alias: "server.x" for a
// server method, or a bare name when exactly one namespace has it. It
// reports the candidates when a bare name is ambiguous.
func Lookup(name string) (m Method, ambiguous []string, ok bool) {
	if m, ok := methodIndex[name]; ok {
		return m, nil, true
	}
	if rest, found := strings.CutPrefix(name, "server."); found {
		m, ok := methodIndex[rest]
		if ok && m.Namespace() == "server" {
			return m, nil, true
		}
		return Method{}, nil, false
	}
	if strings.Contains(name, ".") {
		return Method{}, nil, false
	}
	var hits []Method
	for _, ns := range []string{"send.", "recv."} {
		if m, ok := methodIndex[ns+name]; ok {
			hits = append(hits, m)
		}
	}
	switch len(hits) {
	case 1:
		return hits[0], nil, true
	case 0:
		return Method{}, nil, false
	}
	for _, h := range hits {
		ambiguous = append(ambiguous, h.Name)
	}
	return Method{}, ambiguous, false
}
