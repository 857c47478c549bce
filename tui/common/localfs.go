package common

import (
	"context"
	"time"
)

// Entry is one item of a directory listing, local or remote.
type Entry struct {
	Name    string
	Dir     bool
	Symlink bool
	Root    bool // a sandbox root (remote roots listing)
	Size    int64
	ModTime time.Time
}

// LocalFS is the local pane's file system, implemented over os by
// tui.OSFS and faked in tests. Paths are absolute, in the OS's syntax.
type LocalFS interface {
	// Home is the directory the local pane starts in.
	Home() string
	// ReadDir lists a directory.
	ReadDir(ctx context.Context, dir string) ([]Entry, error)
	// Du is the total size of the regular files under path.
	Du(ctx context.Context, path string) (int64, error)
	// Mkdir creates a directory and its parents.
	Mkdir(ctx context.Context, path string) error
	// Rename moves a path; it fails when newPath exists.
	Rename(ctx context.Context, path, newPath string) error
	// RemoveAll removes a path, directories recursively.
	RemoveAll(ctx context.Context, path string) error
}
