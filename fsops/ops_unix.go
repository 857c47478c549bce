//go:build unix

package fsops

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"golang.org/x/sys/unix"
)

// Ls lists a directory sorted by name; symlinks are type 5 with size 0 and
// are not followed, except that a path naming a link to a directory inside
// the sandbox lists that directory. A path naming anything else gives that
// one entry, with dir set to its parent. directory=true stats the path
// itself. dir is the listed directory in the user's view; for a root stat'ed
// with directory=true it is "" and the entry is the root's LsRoots entry.
// Devices, pipes and sockets are left out of listings.
func (o Ops) Ls(ctx context.Context, p string, directory bool) (dir string, entries []Entry, err error) {
	const op = "ls"
	err = o.run(op, p, func() error {
		t, err := o.Sandbox.resolve(op, p, false)
		if err != nil {
			return err
		}
		fi, err := statTarget(t)
		if err != nil {
			return wrapErr(op, p, err)
		}
		isLink := fi.Mode()&fs.ModeSymlink != 0
		switch {
		case directory:
		case fi.IsDir():
			dir, entries, err = o.list(ctx, op, t)
			return err
		case isLink:
			if ft, err := o.Sandbox.resolve(op, p, true); err == nil {
				if tfi, err := statTarget(ft); err == nil && tfi.IsDir() {
					dir, entries, err = o.list(ctx, op, ft)
					return err
				}
			}
		}
		e, ok := o.entryOf(t, fi)
		if !ok {
			return pathErr(op, p, CodeInvalidPath, errors.New("not a regular file, directory or symbolic link"))
		}
		dir, entries = parentShown(t), []Entry{e}
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	return dir, entries, nil
}

// statTarget lstats a resolved target through its parent's descriptor.
func statTarget(t target) (*statInfo, error) {
	pfd, name, err := parentOf(t)
	if err != nil {
		return nil, err
	}
	defer unix.Close(pfd)
	return lstatAt(pfd, name)
}

// list reads the directory t.
func (o Ops) list(ctx context.Context, op string, t target) (string, []Entry, error) {
	pfd, name, err := parentOf(t)
	if err != nil {
		return "", nil, wrapErr(op, t.user, err)
	}
	defer unix.Close(pfd)
	infos, err := listAt(ctx, pfd, name)
	if err != nil {
		return "", nil, treeError(op, t.user, err)
	}
	entries := make([]Entry, 0, len(infos))
	for _, fi := range infos {
		if e, ok := newEntry(fi.name, fi, o.ID); ok {
			entries = append(entries, e)
		}
	}
	slices.SortFunc(entries, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) })
	return displayOf(t.root, t.rel), entries, nil
}

// entryOf is the Entry of the target itself (a root shows as in LsRoots).
func (o Ops) entryOf(t target, fi *statInfo) (Entry, bool) {
	if t.isRoot() {
		return Entry{Name: rootEntryName(t.root), Type: TypeDrive | TypeDirectory,
			Mtime: fi.ModTime().Unix(), Access: Access(fi, o.ID)}, true
	}
	return newEntry(t.name(), fi, o.ID)
}

// parentShown is the user's view of the directory holding t ("" for a root).
func parentShown(t target) string {
	if t.isRoot() {
		return ""
	}
	return displayOf(t.root, t.rel[:len(t.rel)-1])
}

// Du returns the sum of regular file sizes at and below p, not following
// symlinks (a link counts 0, even at the top). It stops with an error when ctx
// is done.
func (o Ops) Du(ctx context.Context, p string) (int64, error) {
	const op = "du"
	var total int64
	err := o.run(op, p, func() error {
		t, err := o.Sandbox.resolve(op, p, false)
		if err != nil {
			return err
		}
		pfd, name, err := parentOf(t)
		if err != nil {
			return wrapErr(op, p, err)
		}
		defer unix.Close(pfd)
		total, err = duAt(ctx, pfd, name, 0)
		return treeError(op, p, err)
	})
	if err != nil {
		return 0, err
	}
	return total, nil
}

// Mkdir creates p and its missing parents (mode 0777 minus the umask, owned
// by the identity). An existing directory is fine; a component that is a file
// is an error (not_a_directory). A symbolic link inside the sandbox is
// followed like any path component.
func (o Ops) Mkdir(p string) error {
	const op = "mkdir"
	return o.run(op, p, func() error {
		t, err := o.Sandbox.resolve(op, p, true)
		if err != nil {
			return err
		}
		done, err := mkdirAllAt(t.root.Path, t.rel)
		if errors.Is(err, unix.ENOTDIR) && done < len(t.rel) {
			return pathErr(op, p, CodeNotADirectory,
				fmt.Errorf("%q exists and is not a directory", displayOf(t.root, t.rel[:done+1])))
		}
		return wrapErr(op, p, err)
	})
}

// Mv moves or renames p to newPath, both inside the sandbox. It never
// replaces an existing newPath (exists), moves a symbolic link itself rather
// than its target, and refuses moving a root itself, a directory holding a
// root, replacing a root, or moving a directory into its own subtree. Moves
// across filesystems are not supported (io).
func (o Ops) Mv(p, newPath string) error {
	const op = "mv"
	return o.run(op, p, func() error {
		s := o.Sandbox
		src, err := s.resolve(op, p, false)
		if err != nil {
			return err
		}
		dst, err := s.resolve(op, newPath, false)
		if err != nil {
			return err
		}
		if err := s.refuseRootChange(op, src); err != nil {
			return err
		}
		if dst.isRoot() || s.isRootPath(dst.host) {
			return pathErr(op, newPath, CodeExists, errors.New("the destination is a sandbox root"))
		}
		sfd, sname, err := parentOf(src)
		if err != nil {
			return wrapErr(op, p, err)
		}
		defer unix.Close(sfd)
		if _, err := lstatAt(sfd, sname); err != nil {
			return wrapErr(op, p, err)
		}
		if src.host == dst.host {
			return nil
		}
		if within(dst.host, src.host) {
			return pathErr(op, newPath, CodeInvalidPath, fmt.Errorf("cannot move %q into itself", p))
		}
		dfd, dname, err := parentOf(dst)
		if err != nil {
			return wrapErr(op, newPath, err)
		}
		defer unix.Close(dfd)
		err = renameNoReplaceAt(sfd, sname, dfd, dname)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, unix.EEXIST), errors.Is(err, unix.ENOTEMPTY):
			return pathErr(op, newPath, CodeExists, errors.New("the destination already exists"))
		case errors.Is(err, unix.EXDEV):
			return pathErr(op, p, CodeIO, fmt.Errorf("cannot move to %q: it is on another filesystem", newPath))
		}
		return wrapErr(op, p, err)
	})
}

// Rm removes p; a directory with everything below it. It never follows
// symlinks (a link is removed, not its target), refuses removing a sandbox
// root or a directory holding one, stops at the first entry it cannot remove
// (naming it in the error), and stops when ctx is done.
func (o Ops) Rm(ctx context.Context, p string) error {
	const op = "rm"
	return o.run(op, p, func() error {
		t, err := o.Sandbox.resolve(op, p, false)
		if err != nil {
			return err
		}
		if err := o.Sandbox.refuseRootChange(op, t); err != nil {
			return err
		}
		pfd, name, err := parentOf(t)
		if err != nil {
			return wrapErr(op, p, err)
		}
		defer unix.Close(pfd)
		return treeError(op, p, removeAt(ctx, pfd, name, 0))
	})
}

// refuseRootChange refuses removing or moving a root or a directory that
// holds one.
func (s *Sandbox) refuseRootChange(op string, t target) error {
	if t.isRoot() || s.isRootPath(t.host) {
		return pathErr(op, t.user, CodePermissionDenied, errors.New("a sandbox root cannot be moved or removed"))
	}
	if r, ok := s.containsRoot(t.host); ok {
		return pathErr(op, t.user, CodePermissionDenied,
			fmt.Errorf("it holds the sandbox root %q", rootEntryName(r)))
	}
	return nil
}
