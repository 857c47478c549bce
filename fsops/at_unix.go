//go:build unix

package fsops

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// Bounds of the descriptor-based tree walks. Each directory level holds one
// descriptor open while its subtree is processed.
const (
	maxTreeDepth = 1024    // directory levels below the starting point
	dirBatch     = 1024    // names read per getdents batch
	maxBatches   = 1 << 16 // batches per directory (64 Mi entries)
)

// errTooDeep is returned when a tree is deeper than maxTreeDepth.
var errTooDeep = fmt.Errorf("directory tree is deeper than %d levels", maxTreeDepth)

// ignoringEINTR retries f while it fails with EINTR (a bounded number of times).
func ignoringEINTR(f func() error) error {
	for i := 0; ; i++ {
		err := f()
		if err != unix.EINTR || i >= 100 {
			return err
		}
	}
}

// openat is unix.Openat with EINTR handling.
func openat(dirfd int, name string, flags int) (int, error) {
	var fd int
	err := ignoringEINTR(func() error {
		var err error
		fd, err = unix.Openat(dirfd, name, flags|unix.O_CLOEXEC, 0)
		return err
	})
	return fd, err
}

// openBeneath opens the directory rel below root as a search-only descriptor
// without following symbolic links in rel (the root's own path is followed:
// it is configuration). The caller closes the descriptor.
func openBeneath(root string, rel []string) (int, error) {
	fd, err := openat(unix.AT_FDCWD, root, dirPathFlags|unix.O_DIRECTORY)
	if err != nil {
		return -1, err
	}
	for _, c := range rel {
		nfd, err := openat(fd, c, dirPathFlags|unix.O_DIRECTORY|unix.O_NOFOLLOW)
		unix.Close(fd)
		if err != nil {
			return -1, err
		}
		fd = nfd
	}
	return fd, nil
}

// parentOf opens the directory holding t's final component and returns it
// with that component's name ("." when t is a root).
func parentOf(t target) (int, string, error) {
	if t.isRoot() {
		fd, err := openBeneath(t.root.Path, nil)
		return fd, ".", err
	}
	fd, err := openBeneath(t.root.Path, t.rel[:len(t.rel)-1])
	return fd, t.name(), err
}

// statInfo is an os.FileInfo from fstatat; Sys returns *unix.Stat_t.
type statInfo struct {
	name string
	st   unix.Stat_t
}

func (f *statInfo) Name() string       { return f.name }
func (f *statInfo) Size() int64        { return f.st.Size }
func (f *statInfo) IsDir() bool        { return f.Mode().IsDir() }
func (f *statInfo) Sys() any           { return &f.st }
func (f *statInfo) ModTime() time.Time { return time.Unix(int64(f.st.Mtim.Sec), int64(f.st.Mtim.Nsec)) }

// Mode converts the kernel's mode bits as os.Lstat does.
func (f *statInfo) Mode() fs.FileMode {
	m := uint32(f.st.Mode)
	mode := fs.FileMode(m & 0o777)
	switch m & unix.S_IFMT {
	case unix.S_IFBLK:
		mode |= fs.ModeDevice
	case unix.S_IFCHR:
		mode |= fs.ModeDevice | fs.ModeCharDevice
	case unix.S_IFDIR:
		mode |= fs.ModeDir
	case unix.S_IFIFO:
		mode |= fs.ModeNamedPipe
	case unix.S_IFLNK:
		mode |= fs.ModeSymlink
	case unix.S_IFSOCK:
		mode |= fs.ModeSocket
	}
	if m&unix.S_ISUID != 0 {
		mode |= fs.ModeSetuid
	}
	if m&unix.S_ISGID != 0 {
		mode |= fs.ModeSetgid
	}
	if m&unix.S_ISVTX != 0 {
		mode |= fs.ModeSticky
	}
	return mode
}

// lstatAt stats name in dirfd without following a symbolic link.
func lstatAt(dirfd int, name string) (*statInfo, error) {
	fi := &statInfo{name: name}
	err := ignoringEINTR(func() error { return unix.Fstatat(dirfd, name, &fi.st, unix.AT_SYMLINK_NOFOLLOW) })
	if err != nil {
		return nil, err
	}
	return fi, nil
}

// openDirAt opens the directory name in dirfd for reading, refusing a
// symbolic link.
func openDirAt(dirfd int, name string) (*os.File, int, error) {
	fd, err := openat(dirfd, name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW)
	if err != nil {
		return nil, -1, err
	}
	return os.NewFile(uintptr(fd), name), fd, nil
}

// eachEntry calls fn with the lstat of every entry of the open directory f
// (descriptor fd), in batches, checking ctx between batches. Entries that
// vanish while being read are skipped.
func eachEntry(ctx context.Context, f *os.File, fd int, fn func(*statInfo) error) error {
	for range maxBatches {
		if err := ctx.Err(); err != nil {
			return err
		}
		names, rerr := f.Readdirnames(dirBatch)
		for _, n := range names {
			fi, err := lstatAt(fd, n)
			if errors.Is(err, unix.ENOENT) {
				continue
			}
			if err != nil {
				return inTree(n, err)
			}
			if err := fn(fi); err != nil {
				return err
			}
		}
		if rerr == io.EOF {
			return nil
		}
		if rerr != nil {
			return rerr
		}
	}
	return fmt.Errorf("directory has more than %d entries", maxBatches*dirBatch)
}

// listAt returns the lstat of every entry of directory name in dirfd.
func listAt(ctx context.Context, dirfd int, name string) ([]*statInfo, error) {
	f, fd, err := openDirAt(dirfd, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []*statInfo
	err = eachEntry(ctx, f, fd, func(fi *statInfo) error {
		out = append(out, fi)
		return nil
	})
	return out, err
}

// duAt sums the sizes of the regular files at and below name in dirfd,
// without following symbolic links.
func duAt(ctx context.Context, dirfd int, name string, depth int) (int64, error) {
	fi, err := lstatAt(dirfd, name)
	if err != nil {
		return 0, err
	}
	return duInfo(ctx, dirfd, fi, depth)
}

// duInfo is duAt for an entry already stat'ed.
func duInfo(ctx context.Context, dirfd int, fi *statInfo, depth int) (int64, error) {
	switch {
	case fi.Mode().IsRegular():
		return fi.Size(), nil
	case !fi.IsDir():
		return 0, nil
	case depth >= maxTreeDepth:
		return 0, errTooDeep
	}
	f, fd, err := openDirAt(dirfd, fi.name)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var total int64
	err = eachEntry(ctx, f, fd, func(c *statInfo) error {
		n, err := duInfo(ctx, fd, c, depth+1)
		total += n
		if err != nil {
			return inTree(c.name, err)
		}
		return nil
	})
	return total, err
}

// mkdirAllAt creates rel below root, directory by directory, never following
// a symbolic link. An existing directory is fine; an existing file is not.
// On failure it returns how many components were done.
func mkdirAllAt(root string, rel []string) (int, error) {
	fd, err := openBeneath(root, nil)
	if err != nil {
		return 0, err
	}
	for i, c := range rel {
		nfd, err := openat(fd, c, dirPathFlags|unix.O_DIRECTORY|unix.O_NOFOLLOW)
		if errors.Is(err, unix.ENOENT) {
			err = ignoringEINTR(func() error { return unix.Mkdirat(fd, c, 0o777) })
			if err == nil || errors.Is(err, unix.EEXIST) {
				nfd, err = openat(fd, c, dirPathFlags|unix.O_DIRECTORY|unix.O_NOFOLLOW)
			}
		}
		unix.Close(fd)
		if err != nil {
			return i, err
		}
		fd = nfd
	}
	unix.Close(fd)
	return len(rel), nil
}

// removeAt removes name in dirfd and, for a directory, everything below it,
// working through descriptors opened with O_NOFOLLOW so that a symbolic link
// is removed, never followed, even if one is swapped in while the removal
// runs. ctx is checked before every entry. It stops at the first error.
func removeAt(ctx context.Context, dirfd int, name string, depth int) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	fi, err := lstatAt(dirfd, name)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return ignoringEINTR(func() error { return unix.Unlinkat(dirfd, name, 0) })
	}
	if depth >= maxTreeDepth {
		return errTooDeep
	}
	f, fd, err := openDirAt(dirfd, name)
	if err != nil {
		return err
	}
	defer f.Close()
	for range maxBatches {
		names, rerr := f.Readdirnames(dirBatch)
		if rerr != nil && rerr != io.EOF {
			return rerr
		}
		if len(names) == 0 {
			return ignoringEINTR(func() error { return unix.Unlinkat(dirfd, name, unix.AT_REMOVEDIR) })
		}
		for _, n := range names {
			err := removeAt(ctx, fd, n, depth+1)
			if err != nil && !errors.Is(err, unix.ENOENT) {
				return inTree(n, err)
			}
		}
		// Deleting entries can reorder the directory: start again from the top.
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
	}
	return fmt.Errorf("directory keeps refilling (more than %d batches)", maxBatches)
}

// renameCheckedAt refuses an existing destination, then renames.
func renameCheckedAt(olddir int, oldname string, newdir int, newname string) error {
	if _, err := lstatAt(newdir, newname); err == nil {
		return unix.EEXIST
	} else if !errors.Is(err, unix.ENOENT) {
		return err
	}
	return ignoringEINTR(func() error { return unix.Renameat(olddir, oldname, newdir, newname) })
}
