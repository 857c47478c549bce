package fsops

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"unicode/utf8"
)

// Limits on names and paths. Host paths longer than maxPathLen could not be
// passed to the kernel anyway (PATH_MAX on Linux).
const (
	maxRootName = 64   // bytes in a root name
	maxPathLen  = 4096 // bytes in a user path or a resolved host path
	maxNameLen  = 255  // bytes in one path component (NAME_MAX)
	maxSymlinks = 40   // symbolic links followed in one resolution (Linux MAXSYMLINKS)
)

// Sandbox is one user's view of the filesystem: named roots -> absolute host
// directories. The default root (name "") is addressed without a prefix
// ("/rel/path" or "rel/path"), a named root as "name:rel/path". A Sandbox is
// immutable and safe for concurrent use. The zero Sandbox has no roots and
// resolves nothing.
type Sandbox struct {
	roots  []Root          // sorted by name; the default root, if any, first
	byName map[string]Root // named roots only (not "")
}

// Root is one named root ("" is the default root, addressed without a prefix).
// Path is the absolute, cleaned host directory.
type Root struct{ Name, Path string }

// NewSandbox expands placeholders (%u user, %d domain, %f full user name, %%
// literal %) in every root path, validates names (no ':' '/' NUL, not "."
// "..", <=64 bytes) and paths (absolute, cleaned) and returns the sandbox.
//
// user is the login name: "DOMAIN\name" and "name@domain" give %u=name and
// %d=domain; other names have no domain, and a path using %d then fails.
// %f is the login name as given. Prefer %f over %u where domain accounts and
// local accounts could share a short name.
func NewSandbox(roots map[string]string, user string) (*Sandbox, error) {
	if len(roots) == 0 {
		return nil, errors.New("sandbox: no roots given (use Unsandboxed for no sandbox)")
	}
	s := &Sandbox{byName: make(map[string]Root, len(roots))}
	for name, tmpl := range roots {
		if err := validRootName(name); err != nil {
			return nil, err
		}
		p, err := rootPath(name, tmpl, user)
		if err != nil {
			return nil, err
		}
		r := Root{Name: name, Path: p}
		s.roots = append(s.roots, r)
		if name != "" {
			s.byName[name] = r
		}
	}
	slices.SortFunc(s.roots, func(a, b Root) int { return strings.Compare(a.Name, b.Name) })
	return s, nil
}

// ValidateRoots checks root names, paths and placeholder syntax without a
// particular user (it expands placeholders for a user with a domain), for
// validating a mapping when it is stored rather than at login.
func ValidateRoots(roots map[string]string) error {
	_, err := NewSandbox(roots, "user@domain")
	return err
}

// Unsandboxed is the whole filesystem: one default root "/".
func Unsandboxed() *Sandbox {
	return &Sandbox{roots: []Root{{Name: "", Path: "/"}}, byName: map[string]Root{}}
}

// Roots returns the roots sorted by name (the default root "" first).
func (s *Sandbox) Roots() []Root {
	if s == nil {
		return nil
	}
	return slices.Clone(s.roots)
}

// IsUnsandboxed reports whether the sandbox is the whole filesystem: a single
// default root at "/".
func (s *Sandbox) IsUnsandboxed() bool {
	return s != nil && len(s.roots) == 1 && s.roots[0].Name == "" && s.roots[0].Path == "/"
}

// defaultRoot returns the default root, if the sandbox has one.
func (s *Sandbox) defaultRoot() (Root, bool) {
	if s != nil && len(s.roots) > 0 && s.roots[0].Name == "" {
		return s.roots[0], true
	}
	return Root{}, false
}

// isRootPath reports whether host is the directory of one of the roots.
func (s *Sandbox) isRootPath(host string) bool {
	for _, r := range s.roots {
		if r.Path == host {
			return true
		}
	}
	return false
}

// containsRoot reports whether host is a root or an ancestor of one, and
// which root.
func (s *Sandbox) containsRoot(host string) (Root, bool) {
	for _, r := range s.roots {
		if within(r.Path, host) {
			return r, true
		}
	}
	return Root{}, false
}

// Display converts a host path back to the user's view ("name:/rel" or
// "/rel") for messages and ls results. The innermost root containing host
// wins. A host path outside every root is shown as "<outside sandbox>" so that
// host layout never leaks into messages.
func (s *Sandbox) Display(host string) string {
	if s == nil || host == "" || !strings.HasPrefix(host, "/") {
		return "<outside sandbox>"
	}
	host = path.Clean(host)
	var best Root
	found := false
	for _, r := range s.roots {
		if !within(host, r.Path) {
			continue
		}
		// Roots are sorted by name with the default first, so on equal
		// paths the default root, then the smallest name, wins.
		if !found || len(r.Path) > len(best.Path) {
			best, found = r, true
		}
	}
	if !found {
		return "<outside sandbox>"
	}
	rel := strings.TrimPrefix(strings.TrimPrefix(host, best.Path), "/")
	if best.Name == "" {
		return "/" + rel
	}
	return best.Name + ":/" + rel
}

// within reports whether p is dir or below it (both clean and absolute).
func within(p, dir string) bool {
	if dir == "/" {
		return strings.HasPrefix(p, "/")
	}
	return p == dir || strings.HasPrefix(p, dir+"/")
}

// validRootName checks a root name.
func validRootName(name string) error {
	switch {
	case len(name) > maxRootName:
		return fmt.Errorf("sandbox root name %.20q...: longer than %d bytes", name, maxRootName)
	case name == "." || name == "..":
		return fmt.Errorf("sandbox root name %q is not allowed", name)
	case strings.ContainsAny(name, ":/\x00"):
		return fmt.Errorf("sandbox root name %q: must not contain ':', '/' or NUL", name)
	case !utf8.ValidString(name):
		return fmt.Errorf("sandbox root name %q is not valid UTF-8", name)
	}
	return nil
}

// rootPath expands and validates one root path.
func rootPath(name, tmpl, user string) (string, error) {
	switch {
	case tmpl == "":
		return "", fmt.Errorf("sandbox root %q: the path is empty", name)
	case strings.IndexByte(tmpl, 0) >= 0:
		return "", fmt.Errorf("sandbox root %q: the path contains a NUL byte", name)
	}
	p, err := expandPlaceholders(tmpl, user)
	if err != nil {
		return "", fmt.Errorf("sandbox root %q: %w", name, err)
	}
	if !strings.HasPrefix(p, "/") {
		return "", fmt.Errorf("sandbox root %q: path %q is not absolute", name, tmpl)
	}
	p = path.Clean(p)
	if len(p) > maxPathLen {
		return "", fmt.Errorf("sandbox root %q: path longer than %d bytes", name, maxPathLen)
	}
	return p, nil
}
