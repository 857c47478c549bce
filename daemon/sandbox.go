package daemon

import (
	"encoding/json"
	"strings"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/fsops"
)

const sandboxBucket = "sandbox"

// sandboxKey is the store key of a user's mapping ("" = the system sandbox).
func sandboxKey(user string) string { return "user/" + user }

// sandboxMapping is one stored mapping: named roots, or explicitly none.
type sandboxMapping struct {
	Unsandboxed bool              `json:"unsandboxed,omitempty"`
	Roots       map[string]string `json:"roots,omitempty"`
}

// wire renders the mapping as the API shows it: {name: path} or false.
func (m sandboxMapping) wire() any {
	if m.Unsandboxed {
		return false
	}
	return m.Roots
}

// sandboxFor returns the sandbox of a user logging in now: their own
// mapping, else the system mapping (user ""), else --sandbox-dir, else none.
func (s *Server) sandboxFor(user string) (*fsops.Sandbox, error) {
	roots, unsandboxed, err := s.sandboxTemplates(user)
	if err != nil {
		return nil, err
	}
	if unsandboxed {
		return fsops.Unsandboxed(), nil
	}
	return fsops.NewSandbox(roots, user)
}

// sandboxTemplates is the root templates (placeholders unexpanded) that
// apply to user, or unsandboxed.
func (s *Server) sandboxTemplates(user string) (roots map[string]string, unsandboxed bool, err error) {
	for _, key := range []string{user, ""} {
		var m sandboxMapping
		ok, err := s.store.Get(sandboxBucket, sandboxKey(key), &m)
		if err != nil {
			return nil, false, err
		}
		if ok {
			return m.Roots, m.Unsandboxed, nil
		}
	}
	if s.cfg.SandboxDir != "" {
		return map[string]string{"": s.cfg.SandboxDir}, false, nil
	}
	return nil, true, nil
}

func (s *Server) registerSandboxMethods(r routes) {
	r["getSandboxMappings"] = func(c *call) (any, error) {
		out := map[string]any{}
		err := s.store.ForEach(sandboxBucket, func(key string, raw json.RawMessage) error {
			var m sandboxMapping
			if err := json.Unmarshal(raw, &m); err != nil {
				return err
			}
			out[strings.TrimPrefix(key, "user/")] = m.wire()
			return nil
		})
		if _, ok := out[""]; !ok && s.cfg.SandboxDir != "" {
			out[""] = map[string]string{"": s.cfg.SandboxDir}
		}
		return out, err
	}
	r["setSandboxMapping"] = func(c *call) (any, error) {
		user := c.p.str("userName")
		if strings.ContainsAny(user, "\x00/:") {
			return nil, c.p.invalid("userName", "not a valid user name")
		}
		m, err := parseSandboxRoots(c.p)
		if err != nil {
			return nil, err
		}
		if !m.Unsandboxed {
			// Validate names, paths and placeholders now rather than at login.
			if err := fsops.ValidateRoots(m.Roots); err != nil {
				return nil, c.p.invalid("sandboxRoots", "%v", err)
			}
		}
		if err := s.store.Put(sandboxBucket, sandboxKey(user), m); err != nil {
			return nil, err
		}
		s.bus.emit("", "sandboxMappingChanged", map[string]any{"userName": user, "sandboxRoots": m.wire()})
		return nil, nil
	}
	r["deleteSandboxMapping"] = func(c *call) (any, error) {
		user := c.p.str("userName")
		ok, err := s.store.Delete(sandboxBucket, sandboxKey(user))
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, api.Errorf(api.CodeNotFound, "deleteSandboxMapping: no sandbox mapping for user %q", user)
		}
		s.bus.emit("", "sandboxMappingChanged", map[string]any{"userName": user, "deleted": true})
		return nil, nil
	}
}

// parseSandboxRoots accepts false, {name: path} or {name: {"type": "File", "path": p}}.
func parseSandboxRoots(p params) (sandboxMapping, error) {
	raw := p.rawValue("sandboxRoots")
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		if b {
			return sandboxMapping{}, p.invalid("sandboxRoots", "true is not a mapping: give {name: path} or false")
		}
		return sandboxMapping{Unsandboxed: true}, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return sandboxMapping{}, p.invalid("sandboxRoots", "want {name: path} or false")
	}
	if len(obj) == 0 {
		return sandboxMapping{}, p.invalid("sandboxRoots", "at least one root is needed (or false for no sandbox)")
	}
	m := sandboxMapping{Roots: map[string]string{}}
	for name, v := range obj {
		var path string
		if json.Unmarshal(v, &path) != nil {
			var full struct {
				Type string `json:"type"`
				Path string `json:"path"`
			}
			if err := json.Unmarshal(v, &full); err != nil {
				return m, p.invalid("sandboxRoots", "root %q: want a path or {\"type\": \"File\", \"path\": ...}", name)
			}
			if full.Type != "" && !strings.EqualFold(full.Type, "File") {
				return m, p.invalid("sandboxRoots", "root %q: sandbox type %q is not supported (only File)", name, full.Type)
			}
			path = full.Path
		}
		if path == "" {
			return m, p.invalid("sandboxRoots", "root %q: the sandbox path is empty", name)
		}
		m.Roots[name] = path
	}
	return m, nil
}
