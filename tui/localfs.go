package tui

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/jetstream-go/jetstream/tui/common"
)

// OSFS is the local file system over package os.
type OSFS struct {
	// Start is the directory the local pane opens in (default: the
	// working directory, else the home directory).
	Start string
}

var _ common.LocalFS = OSFS{}

// Home implements LocalFS.
func (o OSFS) Home() string {
	if o.Start != "" {
		if abs, err := filepath.Abs(o.Start); err == nil {
			return abs
		}
	}
	if wd, err := os.Getwd(); err == nil {
		return wd
	}
	if h, err := os.UserHomeDir(); err == nil {
		return h
	}
	return string(filepath.Separator)
}

// ReadDir implements LocalFS. Symlinks to directories list as directories.
func (OSFS) ReadDir(ctx context.Context, dir string) ([]common.Entry, error) {
	des, err := os.ReadDir(dir)
	if err != nil && len(des) == 0 {
		return nil, err
	}
	out := make([]common.Entry, 0, len(des))
	for _, de := range des {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		info, err := de.Info()
		if err != nil {
			continue // vanished since the listing
		}
		e := common.Entry{Name: de.Name(), Dir: info.IsDir(), Size: info.Size(), ModTime: info.ModTime()}
		if info.Mode()&fs.ModeSymlink != 0 {
			e.Symlink = true
			if st, err := os.Stat(filepath.Join(dir, de.Name())); err == nil {
				e.Dir = st.IsDir()
				if !e.Dir {
					e.Size = st.Size()
				}
			}
		}
		if e.Dir {
			e.Size = 0
		}
		out = append(out, e)
	}
	return out, nil
}

// Du implements LocalFS: the sum of the regular files' sizes; symlinks are
// not followed.
func (OSFS) Du(ctx context.Context, path string) (int64, error) {
	var total int64
	err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return nil // vanished
			}
			total += info.Size()
		}
		return nil
	})
	return total, err
}

// Mkdir implements LocalFS.
func (OSFS) Mkdir(_ context.Context, path string) error { return os.MkdirAll(path, 0o755) }

// Rename implements LocalFS; it refuses to replace an existing path.
func (OSFS) Rename(_ context.Context, path, newPath string) error {
	if _, err := os.Lstat(newPath); err == nil {
		return fmt.Errorf("%s exists already", newPath)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return os.Rename(path, newPath)
}

// RemoveAll implements LocalFS; it refuses file system roots.
func (OSFS) RemoveAll(_ context.Context, path string) error {
	clean := filepath.Clean(path)
	if path == "" || clean == string(filepath.Separator) || clean == filepath.VolumeName(clean)+string(filepath.Separator) {
		return fmt.Errorf("refusing to delete %q", path)
	}
	if _, err := os.Lstat(clean); err != nil {
		return err
	}
	return os.RemoveAll(clean)
}
