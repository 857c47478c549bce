package browser

import (
	"context"
	"path"
	"strings"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/tui/common"
)

// Remote is a server's sandbox as a Source. Paths are "/" or "/a/b" for the
// default root and "name:/" or "name:/a/b" for named roots; "" is the list
// of roots.
type Remote struct{ S *common.Session }

// Label implements Source.
func (r Remote) Label() string { return r.S.Key }

// Session implements Source.
func (r Remote) Session() *common.Session { return r.S }

// Start implements Source.
func (Remote) Start() string { return "" }

// List implements Source.
func (r Remote) List(ctx context.Context, dir string) ([]common.Entry, error) {
	var res api.LsResult
	var err error
	if dir == "" {
		res, err = r.S.Client.LsRoots(ctx)
	} else {
		res, err = r.S.Client.Ls(ctx, dir)
	}
	if err != nil {
		return nil, err
	}
	out := make([]common.Entry, 0, len(res.Files))
	for _, f := range res.Files {
		if f.Name == "." || f.Name == ".." || (dir != "" && (f.Name == "" || strings.Contains(f.Name, "/"))) {
			continue // a name that would escape the directory is not shown
		}
		out = append(out, entryOf(f, dir == ""))
	}
	return out, nil
}

func entryOf(f api.FileEntry, root bool) common.Entry {
	e := common.Entry{
		Name:    f.Name,
		Dir:     f.Type&api.FileTypeDirectory != 0,
		Symlink: f.Type == api.FileTypeSymlink,
		Root:    root || f.Type&api.FileTypeDrive != 0,
		Size:    f.Size,
	}
	if f.Mtime > 0 && f.Mtime < 1<<40 {
		e.ModTime = time.Unix(f.Mtime, 0)
	}
	if e.Root {
		e.Dir = true
	}
	return e
}

// Du implements Source.
func (r Remote) Du(ctx context.Context, p string) (int64, error) { return r.S.Client.Du(ctx, p) }

// Mkdir implements Source.
func (r Remote) Mkdir(ctx context.Context, p string) error { return r.S.Client.Mkdir(ctx, p) }

// Move implements Source.
func (r Remote) Move(ctx context.Context, p, newPath string) error {
	return r.S.Client.Mv(ctx, p, newPath)
}

// Remove implements Source.
func (r Remote) Remove(ctx context.Context, p string) error { return r.S.Client.Rm(ctx, p) }

// rootPath is the path of a root named in lsRootsAsync.
func rootPath(name string) string {
	switch {
	case name == "" || name == "/":
		return "/"
	case strings.HasSuffix(name, ":"):
		return name + "/"
	case strings.HasPrefix(name, "/") || strings.Contains(name, ":"):
		return name
	}
	return name + ":/"
}

// splitRoot splits a remote path into its root ("/" or "name:/") and the
// rest without leading or trailing slashes.
func splitRoot(p string) (root, rest string) {
	if i := strings.IndexByte(p, ':'); i >= 0 && !strings.Contains(p[:i], "/") {
		return p[:i+1] + "/", strings.Trim(p[i+1:], "/")
	}
	return "/", strings.Trim(p, "/")
}

// clean canonicalises a remote path.
func clean(p string) string {
	if p == "" {
		return ""
	}
	root, rest := splitRoot(p)
	rest = strings.TrimPrefix(path.Clean("/"+rest), "/")
	return root + rest
}

// Join implements Source.
func (Remote) Join(dir, name string) string {
	if dir == "" {
		return rootPath(name)
	}
	return clean(dir + "/" + name)
}

// Parent implements Source.
func (Remote) Parent(dir string) (string, bool) {
	if dir == "" {
		return "", false
	}
	root, rest := splitRoot(dir)
	if rest == "" {
		return "", true
	}
	if i := strings.LastIndexByte(rest, '/'); i >= 0 {
		return root + rest[:i], true
	}
	return root, true
}

// Abs implements Source.
func (r Remote) Abs(dir, typed string) string {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return ""
	}
	if i := strings.IndexByte(typed, ':'); strings.HasPrefix(typed, "/") || (i > 0 && !strings.Contains(typed[:i], "/")) {
		return clean(typed)
	}
	if dir == "" {
		return clean("/" + typed)
	}
	return r.Join(dir, typed)
}

// Crumbs implements Source.
func (Remote) Crumbs(dir string) []string {
	if dir == "" {
		return []string{"(roots)"}
	}
	root, rest := splitRoot(dir)
	out := []string{root}
	if rest != "" {
		out = append(out, strings.Split(rest, "/")...)
	}
	return out
}
