package daemon

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"

	"github.com/jetstream-go/jetstream/daemon/auth"
	"github.com/jetstream-go/jetstream/fsops"
)

// ensureSandboxRoots creates the missing per-user directories of p's
// sandbox at login: for a root like /storage/%u the directory /storage/alice
// (and any missing directories below the first placeholder) is made 0700
// and owned by the user. The part before the first placeholder (/storage)
// is the administrator's and is never created. A root without a user
// placeholder is shared and is never created either.
func (s *Server) ensureSandboxRoots(p auth.Principal) error {
	roots, unsandboxed, err := s.sandboxTemplates(p.Name)
	if err != nil || unsandboxed {
		return err
	}
	sb, err := fsops.NewSandbox(roots, p.Name)
	if err != nil {
		return err
	}
	byName := map[string]string{}
	for _, r := range sb.Roots() {
		byName[r.Name] = r.Path
	}
	var errs []error
	for name, tmpl := range roots {
		base, ok := placeholderBase(tmpl)
		if !ok {
			continue
		}
		if err := makeUserDirs(base, byName[name], p); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// placeholderBase is the directory above the first path element of tmpl that
// has a placeholder, expanded ("%%" is "%"); false when tmpl has none.
func placeholderBase(tmpl string) (string, bool) {
	segs := strings.Split(path.Clean(tmpl), "/")
	for i, seg := range segs {
		if strings.Contains(strings.ReplaceAll(seg, "%%", ""), "%") {
			return strings.ReplaceAll(path.Clean("/"+strings.Join(segs[:i], "/")), "%%", "%"), true
		}
	}
	return "", false
}

// makeUserDirs creates the missing directories of root below base, each 0700
// and owned by p when the server runs as root. An existing element must be a
// real directory: a link planted by a user would redirect the creation.
func makeUserDirs(base, root string, p auth.Principal) error {
	rel, ok := strings.CutPrefix(root, strings.TrimSuffix(base, "/")+"/")
	if !ok || rel == "" {
		return fmt.Errorf("sandbox root %s is not below %s", root, base)
	}
	if fi, err := os.Stat(base); err != nil || !fi.IsDir() {
		return fmt.Errorf("sandbox base %s of %s is not a directory: %v", base, root, err)
	}
	dir := base
	for _, el := range strings.Split(rel, "/") {
		dir = path.Join(dir, el)
		err := os.Mkdir(dir, 0o700)
		if errors.Is(err, fs.ErrExist) {
			fi, lerr := os.Lstat(dir)
			if lerr != nil || !fi.IsDir() {
				return fmt.Errorf("sandbox root %s: %s exists and is not a directory", root, dir)
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("create sandbox root %s: %w", root, err)
		}
		if os.Geteuid() == 0 {
			if err := os.Lchown(dir, int(p.UID), int(p.GID)); err != nil {
				os.Remove(dir)
				return fmt.Errorf("give sandbox root %s to %s: %w", dir, p.Name, err)
			}
		}
	}
	return nil
}
