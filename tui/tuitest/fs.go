package tuitest

import (
	"context"
	"fmt"
	"path"
	"sync"
	"time"

	"github.com/jetstream-go/jetstream/tui/common"
)

// FS is an in-memory LocalFS with "/" paths.
type FS struct {
	mu    sync.Mutex
	Start string
	Dirs  map[string][]common.Entry
	Sizes map[string]int64 // Du results
	Calls []string
	Err   error // returned by every method when set
}

var _ common.LocalFS = (*FS)(nil)

// NewFS returns a file system starting in start.
func NewFS(start string) *FS {
	return &FS{Start: start, Dirs: map[string][]common.Entry{start: {}}, Sizes: map[string]int64{}}
}

// Set sets a directory's entries.
func (f *FS) Set(dir string, es ...common.Entry) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Dirs[dir] = es
}

func (f *FS) call(s string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Calls = append(f.Calls, s)
	return f.Err
}

// CallLog returns the calls made so far.
func (f *FS) CallLog() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.Calls...)
}

// Home implements LocalFS.
func (f *FS) Home() string { return f.Start }

// ReadDir implements LocalFS.
func (f *FS) ReadDir(_ context.Context, dir string) ([]common.Entry, error) {
	if err := f.call("ReadDir " + dir); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	es, ok := f.Dirs[dir]
	if !ok {
		return nil, fmt.Errorf("open %s: no such file or directory", dir)
	}
	return append([]common.Entry(nil), es...), nil
}

// Du implements LocalFS.
func (f *FS) Du(_ context.Context, p string) (int64, error) {
	if err := f.call("Du " + p); err != nil {
		return 0, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Sizes[p], nil
}

// Mkdir implements LocalFS.
func (f *FS) Mkdir(_ context.Context, p string) error {
	if err := f.call("Mkdir " + p); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	dir := path.Dir(p)
	f.Dirs[dir] = append(f.Dirs[dir], common.Entry{Name: path.Base(p), Dir: true})
	f.Dirs[p] = []common.Entry{}
	return nil
}

// Rename implements LocalFS.
func (f *FS) Rename(_ context.Context, p, newPath string) error {
	if err := f.call("Rename " + p + " " + newPath); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	dir, name := path.Dir(p), path.Base(p)
	var moved *common.Entry
	var rest []common.Entry
	for _, e := range f.Dirs[dir] {
		if e.Name == name {
			e := e
			moved = &e
			continue
		}
		rest = append(rest, e)
	}
	if moved == nil {
		return fmt.Errorf("rename %s: no such file or directory", p)
	}
	f.Dirs[dir] = rest
	moved.Name = path.Base(newPath)
	nd := path.Dir(newPath)
	f.Dirs[nd] = append(f.Dirs[nd], *moved)
	return nil
}

// RemoveAll implements LocalFS.
func (f *FS) RemoveAll(_ context.Context, p string) error {
	if err := f.call("RemoveAll " + p); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	dir, name := path.Dir(p), path.Base(p)
	var rest []common.Entry
	for _, e := range f.Dirs[dir] {
		if e.Name != name {
			rest = append(rest, e)
		}
	}
	f.Dirs[dir] = rest
	return nil
}

// File and Dir build entries.
func File(name string, size int64, mtime time.Time) common.Entry {
	return common.Entry{Name: name, Size: size, ModTime: mtime}
}

// Dir builds a directory entry.
func Dir(name string, mtime time.Time) common.Entry {
	return common.Entry{Name: name, Dir: true, ModTime: mtime}
}
