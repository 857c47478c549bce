package browser

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/jetstream-go/jetstream/tui/common"
)

// Source is the file system behind a pane.
type Source interface {
	// Label names the source in the pane ("local" or the location).
	Label() string
	// Session is the remote session, nil for the local file system.
	Session() *common.Session
	// Start is the directory a pane opens first ("" = the roots).
	Start() string
	List(ctx context.Context, dir string) ([]common.Entry, error)
	Du(ctx context.Context, path string) (int64, error)
	Mkdir(ctx context.Context, path string) error
	Move(ctx context.Context, path, newPath string) error
	Remove(ctx context.Context, path string) error
	// Join appends a name (or relative path) to a directory.
	Join(dir, name string) string
	// Parent is the directory above dir; false at the top.
	Parent(dir string) (string, bool)
	// Abs resolves a typed path against dir.
	Abs(dir, typed string) string
	// Crumbs splits dir into its breadcrumbs.
	Crumbs(dir string) []string
}

// sameSource reports whether two sources are the same file system.
func sameSource(a, b Source) bool {
	sa, sb := a.Session(), b.Session()
	if sa == nil || sb == nil {
		return sa == nil && sb == nil
	}
	return sa.Key == sb.Key
}

// Local is the local file system as a Source.
type Local struct{ FS common.LocalFS }

// Label implements Source.
func (Local) Label() string { return "local" }

// Session implements Source.
func (Local) Session() *common.Session { return nil }

// Start implements Source.
func (l Local) Start() string { return l.FS.Home() }

// List implements Source.
func (l Local) List(ctx context.Context, dir string) ([]common.Entry, error) {
	return l.FS.ReadDir(ctx, dir)
}

// Du implements Source.
func (l Local) Du(ctx context.Context, path string) (int64, error) { return l.FS.Du(ctx, path) }

// Mkdir implements Source.
func (l Local) Mkdir(ctx context.Context, path string) error { return l.FS.Mkdir(ctx, path) }

// Move implements Source.
func (l Local) Move(ctx context.Context, path, newPath string) error {
	return l.FS.Rename(ctx, path, newPath)
}

// Remove implements Source.
func (l Local) Remove(ctx context.Context, path string) error { return l.FS.RemoveAll(ctx, path) }

// Join implements Source.
func (Local) Join(dir, name string) string { return filepath.Join(dir, name) }

// Parent implements Source.
func (Local) Parent(dir string) (string, bool) {
	p := filepath.Dir(dir)
	if p == dir {
		return dir, false
	}
	return p, true
}

// Abs implements Source.
func (Local) Abs(dir, typed string) string {
	if typed == "~" || strings.HasPrefix(typed, "~"+string(filepath.Separator)) {
		return typed // left to the user's shell habits: not expanded
	}
	if filepath.IsAbs(typed) {
		return filepath.Clean(typed)
	}
	return filepath.Join(dir, typed)
}

// Crumbs implements Source.
func (Local) Crumbs(dir string) []string {
	dir = filepath.Clean(dir)
	vol := filepath.VolumeName(dir)
	rest := strings.Trim(dir[len(vol):], string(filepath.Separator))
	out := []string{vol + string(filepath.Separator)}
	if rest != "" {
		out = append(out, strings.Split(rest, string(filepath.Separator))...)
	}
	return out
}
