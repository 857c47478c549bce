package fsops

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// errNoSandbox is returned when a nil *Sandbox is used.
var errNoSandbox = errors.New("no sandbox configured")

// target is a user path resolved inside a sandbox.
type target struct {
	root Root
	rel  []string // components below root.Path; symbolic links resolved (except a final one when not following)
	host string   // root.Path joined with rel
	user string   // the path as the user gave it, for errors
}

// isRoot reports whether the target is the root directory itself.
func (t target) isRoot() bool { return len(t.rel) == 0 }

// name is the final component ("" for a root).
func (t target) name() string {
	if len(t.rel) == 0 {
		return ""
	}
	return t.rel[len(t.rel)-1]
}

// Resolve maps a user path ("rel/or/abs" in the default root, or "name:path"
// in a named root) to an absolute host path inside the sandbox. Cleans it;
// refuses NUL bytes, escapes by "..", and symlinks (in any existing component)
// that lead outside the root. The final component may not exist (for
// create). Errors are *PathError.
//
// A prefix before the first ':' selects a named root only when the sandbox
// has a root of that name; otherwise the whole string is a path in the
// default root ("C:\x" is a file name). ".." in the user's path is applied
// lexically before anything is looked up; symbolic links are followed by
// Resolve itself, relative to the root, and a link target that climbs above
// the root or names a host path outside it is refused even if it would come
// back in. At most 40 links are followed.
func (s *Sandbox) Resolve(p string) (string, error) {
	t, err := s.resolve("resolve", p, true)
	return t.host, err
}

// ResolveNoFollow is Resolve but does not follow a symlink in the final
// component (for ls of a link, rm, mv).
func (s *Sandbox) ResolveNoFollow(p string) (string, error) {
	t, err := s.resolve("resolve", p, false)
	return t.host, err
}

// resolve parses, cleans and walks a user path.
func (s *Sandbox) resolve(op, p string, follow bool) (target, error) {
	if err := checkUserPath(op, p); err != nil {
		return target{}, err
	}
	if s == nil {
		return target{}, pathErr(op, p, CodeInvalidPath, errNoSandbox)
	}
	root, rest, _, err := s.splitRoot(op, p)
	if err != nil {
		return target{}, err
	}
	comps, err := cleanComponents(op, p, rest)
	if err != nil {
		return target{}, err
	}
	return s.walk(op, p, root, comps, follow)
}

// checkUserPath refuses NUL bytes and over-long paths.
func checkUserPath(op, p string) error {
	if len(p) > maxPathLen {
		return pathErr(op, p[:64]+"...", CodeInvalidPath, fmt.Errorf("path is longer than %d bytes", maxPathLen))
	}
	if strings.IndexByte(p, 0) >= 0 {
		return pathErr(op, p, CodeInvalidPath, errors.New("path contains a NUL byte"))
	}
	return nil
}

// splitRoot separates a "name:" prefix naming one of the sandbox's named
// roots. Without such a prefix the path is in the default root.
func (s *Sandbox) splitRoot(op, p string) (root Root, rest string, named bool, err error) {
	if i := strings.IndexByte(p, ':'); i > 0 {
		if r, ok := s.byName[p[:i]]; ok {
			return r, p[i+1:], true, nil
		}
	}
	if r, ok := s.defaultRoot(); ok {
		return r, p, false, nil
	}
	return Root{}, "", false, s.noDefaultRoot(op, p)
}

// noDefaultRoot is the error for a path without a root prefix in a sandbox
// that has only named roots.
func (s *Sandbox) noDefaultRoot(op, p string) error {
	if len(s.roots) == 0 {
		return pathErr(op, p, CodeInvalidPath, errors.New("the sandbox has no roots"))
	}
	names := make([]string, 0, len(s.roots))
	for _, r := range s.roots {
		names = append(names, r.Name+":")
	}
	return pathErr(op, p, CodeInvalidPath,
		fmt.Errorf("the sandbox has no default root; start the path with one of %s", strings.Join(names, " ")))
}

// cleanComponents splits a path below a root into components, dropping empty
// and "." components and applying ".." lexically. Climbing above the root is
// an error.
func cleanComponents(op, user, rest string) ([]string, error) {
	var out []string
	for c := range strings.SplitSeq(rest, "/") {
		switch c {
		case "", ".":
			continue
		case "..":
			if len(out) == 0 {
				return nil, pathErr(op, user, CodeOutsideSandbox, errors.New(`".." leads outside the sandbox`))
			}
			out = out[:len(out)-1]
			continue
		}
		if len(c) > maxNameLen {
			return nil, pathErr(op, user, CodeInvalidPath, fmt.Errorf("a path component is longer than %d bytes", maxNameLen))
		}
		out = append(out, c)
	}
	return out, nil
}

// splitTarget splits a symbolic link's target into components, dropping empty
// and "." components but keeping "..".
func splitTarget(t string) []string {
	var out []string
	for c := range strings.SplitSeq(t, "/") {
		if c != "" && c != "." {
			out = append(out, c)
		}
	}
	return out
}

// hostOf joins a root directory and components.
func hostOf(root string, rel []string) string {
	if len(rel) == 0 {
		return root
	}
	if root == "/" {
		return "/" + strings.Join(rel, "/")
	}
	return root + "/" + strings.Join(rel, "/")
}

// displayOf renders root-relative components in the user's view.
func displayOf(root Root, rel []string) string {
	p := "/" + strings.Join(rel, "/")
	if root.Name == "" {
		return p
	}
	return root.Name + ":" + p
}

// walk resolves comps below root, following symbolic links itself so that
// each one can be checked against the root. With follow false a link in the
// final component is left alone.
func (s *Sandbox) walk(op, user string, root Root, comps []string, follow bool) (target, error) {
	queue := comps
	var stack []string
	links := 0
	missing := false // a component did not exist: what follows is only named, not looked up
	realRoot := rootAliases{root: root.Path}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == ".." { // only from link targets: the user's own ".." were applied lexically
			if missing {
				return target{}, pathErr(op, user, CodeNotFound,
					fmt.Errorf("symbolic link target goes through %q, which does not exist", displayOf(root, stack)))
			}
			if len(stack) == 0 {
				return target{}, pathErr(op, user, CodeOutsideSandbox, errors.New("a symbolic link leads outside the sandbox"))
			}
			stack = stack[:len(stack)-1]
			continue
		}
		if missing {
			stack = append(stack, c)
			continue
		}
		last := len(queue) == 0
		cur := hostOf(root.Path, append(stack, c))
		fi, err := os.Lstat(cur)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				missing = true
				stack = append(stack, c)
				continue
			}
			return target{}, wrapErr(op, user, err)
		}
		if fi.Mode()&fs.ModeSymlink != 0 && (follow || !last) {
			links++
			if links > maxSymlinks {
				return target{}, pathErr(op, user, CodeInvalidPath, errors.New("too many levels of symbolic links"))
			}
			dest, err := os.Readlink(cur)
			if err != nil {
				return target{}, wrapErr(op, user, err)
			}
			if dest == "" {
				return target{}, pathErr(op, user, CodeNotFound, fmt.Errorf("symbolic link %q is empty", displayOf(root, append(stack, c))))
			}
			tcomps := splitTarget(dest)
			if strings.HasPrefix(dest, "/") {
				rest, ok := realRoot.cut(tcomps)
				if !ok {
					return target{}, pathErr(op, user, CodeOutsideSandbox,
						fmt.Errorf("symbolic link %q leads outside the sandbox", displayOf(root, append(stack, c))))
				}
				stack, tcomps = nil, rest
			}
			queue = append(tcomps, queue...)
			continue
		}
		if !last && !fi.IsDir() {
			return target{}, pathErr(op, user, CodeNotADirectory,
				fmt.Errorf("%q is not a directory", displayOf(root, append(stack, c))))
		}
		stack = append(stack, c)
	}
	host := hostOf(root.Path, stack)
	if len(host) > maxPathLen {
		return target{}, pathErr(op, user, CodeInvalidPath, fmt.Errorf("resolved path is longer than %d bytes", maxPathLen))
	}
	return target{root: root, rel: stack, host: host, user: user}, nil
}

// rootAliases matches absolute link targets against a root directory, both as
// configured and with symbolic links in the root's own path resolved (an
// absolute link made through the real path still points inside).
type rootAliases struct {
	root     string
	comps    []string
	real     []string
	realDone bool
}

// cut returns the components of an absolute target below the root, or false
// when the target does not start with the root.
func (a *rootAliases) cut(t []string) ([]string, bool) {
	if a.comps == nil {
		a.comps = splitTarget(a.root)
	}
	if rest, ok := cutPrefix(t, a.comps); ok {
		return rest, true
	}
	if !a.realDone {
		a.realDone = true
		if real, err := filepath.EvalSymlinks(a.root); err == nil && real != a.root {
			a.real = splitTarget(real)
			if a.real == nil {
				a.real = []string{}
			}
		}
	}
	if a.real != nil {
		return cutPrefix(t, a.real)
	}
	return nil, false
}

// cutPrefix strips prefix from t component by component.
func cutPrefix(t, prefix []string) ([]string, bool) {
	if len(t) < len(prefix) {
		return nil, false
	}
	for i, c := range prefix {
		if t[i] != c {
			return nil, false
		}
	}
	return t[len(prefix):], true
}
