package fsops

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// maxWalkDepth bounds the directory depth of WalkFiles.
const maxWalkDepth = 1024

// WalkFiles walks p (file or directory) for a manifest: regular files, empty
// directories, symlinks per follow (follow: use the target's content, detect
// loops; !follow: skip). Calls fn for each with its relative path.
//
// rel is "." for root itself and slash-separated below it; entries come in
// lexical order. fi is the entry's own lstat, or for a followed link the
// target's stat. A directory is reported (isEmptyDir true) when nothing below
// it was reported, so a directory holding only skipped entries is recreated
// empty. Devices, pipes and sockets are skipped. With follow, a dangling link
// and a link to one of its own ancestor directories are errors (*PathError).
// An error from fn stops the walk and is returned as is; ctx is checked
// before every entry.
//
// Links are followed wherever they point: use [Sandbox.WalkFiles] to walk
// inside a sandbox.
func WalkFiles(ctx context.Context, root string, follow bool, fn func(rel string, fi os.FileInfo, isEmptyDir bool) error) error {
	w := &walker{
		ctx:    ctx,
		follow: follow,
		fn: func(rel, _ string, fi os.FileInfo, empty bool) error {
			return fn(rel, fi, empty)
		},
		target: func(link string) (string, error) { return link, nil },
		show:   func(host string) string { return host },
	}
	return w.start(root)
}

// WalkFiles is [WalkFiles] for a user path inside the sandbox: a followed
// link must resolve inside the sandbox (as [Sandbox.Resolve] would) or the
// walk fails with outside_sandbox, and fn also receives the host path to read
// (for a followed link, the resolved target). Errors show user paths. Run it
// under [AsUser] to read with the user's permissions.
func (s *Sandbox) WalkFiles(ctx context.Context, p string, follow bool, fn func(rel, host string, fi os.FileInfo, isEmptyDir bool) error) error {
	const op = "walk"
	t, err := s.resolve(op, p, false)
	if err != nil {
		return err
	}
	w := &walker{
		ctx:    ctx,
		follow: follow,
		fn:     fn,
		target: func(link string) (string, error) {
			rel := splitTarget(strings.TrimPrefix(link, t.root.Path))
			lt, err := s.walk(op, displayOf(t.root, rel), t.root, rel, true)
			return lt.host, err
		},
		show: s.Display,
	}
	return w.start(t.host)
}

// walker is the state of one WalkFiles run.
type walker struct {
	ctx       context.Context
	follow    bool
	fn        func(rel, host string, fi os.FileInfo, isEmptyDir bool) error
	target    func(link string) (string, error) // host path providing a followed link's content
	show      func(host string) string          // host path -> path for error messages
	ancestors []os.FileInfo                     // directories on the current path, for loop detection
}

// start walks from the root path.
func (w *walker) start(root string) error {
	fi, err := os.Lstat(root)
	if err != nil {
		return wrapErr("walk", w.show(root), err)
	}
	host := root
	if fi.Mode()&fs.ModeSymlink != 0 {
		if !w.follow {
			return nil
		}
		if host, fi, err = w.followLink(root); err != nil {
			return err
		}
	}
	_, err = w.visit(".", host, fi)
	return err
}

// visit reports a regular file, walks a directory and skips anything else.
// It returns how many callbacks were made at and below the entry.
func (w *walker) visit(rel, host string, fi os.FileInfo) (int, error) {
	if err := ctxErr(w.ctx, "walk", w.show(host)); err != nil {
		return 0, err
	}
	switch {
	case fi.Mode().IsRegular():
		return 1, w.fn(rel, host, fi, false)
	case fi.IsDir():
		return w.dir(rel, host, fi)
	}
	return 0, nil
}

// dir walks one directory.
func (w *walker) dir(rel, host string, fi os.FileInfo) (int, error) {
	for _, a := range w.ancestors {
		if os.SameFile(a, fi) {
			return 0, pathErr("walk", w.show(host), CodeInvalidPath, errors.New("symbolic link loop: the directory contains itself"))
		}
	}
	if len(w.ancestors) >= maxWalkDepth {
		return 0, pathErr("walk", w.show(host), CodeInvalidPath, fmt.Errorf("directory tree is deeper than %d levels", maxWalkDepth))
	}
	w.ancestors = append(w.ancestors, fi)
	defer func() { w.ancestors = w.ancestors[:len(w.ancestors)-1] }()
	entries, err := os.ReadDir(host)
	if err != nil {
		return 0, wrapErr("walk", w.show(host), err)
	}
	emitted := 0
	for _, e := range entries {
		crel, chost := e.Name(), joinHost(host, e.Name())
		if rel != "." {
			crel = rel + "/" + e.Name()
		}
		cfi, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed while we walk
		}
		if err != nil {
			return emitted, wrapErr("walk", w.show(chost), err)
		}
		if cfi.Mode()&fs.ModeSymlink != 0 {
			if !w.follow {
				continue
			}
			if chost, cfi, err = w.followLink(chost); err != nil {
				return emitted, err
			}
		}
		n, err := w.visit(crel, chost, cfi)
		emitted += n
		if err != nil {
			return emitted, err
		}
	}
	if emitted == 0 {
		return 1, w.fn(rel, host, fi, true)
	}
	return emitted, nil
}

// followLink returns the host path and stat of what a link points to.
func (w *walker) followLink(link string) (string, os.FileInfo, error) {
	host, err := w.target(link)
	if err != nil {
		return "", nil, err
	}
	fi, err := os.Stat(host)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil, pathErr("walk", w.show(link), CodeNotFound, errors.New("symbolic link points to nothing"))
	}
	if err != nil {
		return "", nil, wrapErr("walk", w.show(link), err)
	}
	return host, fi, nil
}

// joinHost appends a name to a host directory path.
func joinHost(dir, name string) string {
	if strings.HasSuffix(dir, "/") {
		return dir + name
	}
	return dir + "/" + name
}
