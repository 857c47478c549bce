package engine

import (
	"errors"
	"io/fs"
	"os"
	"sync"
)

// diskFile is a partfile being received.
type diskFile struct {
	sink     *diskSink
	meta     FileMeta
	host     string
	part     string
	f        File
	wb       *writeBehind
	closed   bool
	chmodded bool
}

func (f *diskFile) WriteAt(p []byte, off int64) (int, error) {
	n, err := f.f.WriteAt(p, off)
	f.wb.wrote(n)
	return n, err
}

func (f *diskFile) ReadAt(p []byte, off int64) (int, error) { return f.f.ReadAt(p, off) }
func (f *diskFile) Sync() error                             { return f.f.Sync() }

func (f *diskFile) close() error {
	if f.closed {
		return nil
	}
	f.closed = true
	f.wb.wait()
	return f.f.Close()
}

func (f *diskFile) Abort(keep bool) error {
	err := f.close()
	if !keep {
		if rerr := f.sink.cfg.AsUser(func() error { return os.Remove(f.part) }); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			return rerr
		}
	}
	return err
}

// Commit syncs, closes and moves the partfile into place per the overwrite mode.
func (f *diskFile) Commit() (string, error) {
	handled, err := f.sink.group.sync(f.f)
	if err = f.closeSynced(handled, err); err != nil {
		return "", err
	}
	if err := f.sink.cfg.AsUser(f.place); err != nil {
		return "", asError(err)
	}
	return f.host, nil
}

// closeSynced finishes the sync groupSync reported (fsyncing f itself when
// the group did not), sets the mode through the descriptor and closes f.
func (f *diskFile) closeSynced(handled bool, err error) error {
	if !handled {
		err = f.f.Sync()
	}
	if err != nil {
		return asError(err)
	}
	if fc, ok := f.f.(interface{ Chmod(fs.FileMode) error }); ok {
		if err := fc.Chmod(f.perm()); err == nil {
			f.chmodded = true
		}
	}
	if err := f.close(); err != nil {
		return asError(err)
	}
	return nil
}

// commitAll commits several partfiles of this sink: one shared sync, then
// one AsUser for all their renames. Each file gets its own result.
func (d *diskSink) commitAll(files []*diskFile) (hosts []string, errs []error) {
	hosts, errs = make([]string, len(files)), make([]error, len(files))
	ff := make([]File, len(files))
	for i, f := range files {
		ff[i] = f.f
	}
	reqs := d.group.syncAll(ff)
	// Files the group did not flush (a large write-back is under way) are
	// fsynced concurrently, as separate commits would be.
	var wg sync.WaitGroup
	for _, r := range reqs {
		if !r.handled {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r.handled, r.err = true, r.f.Sync()
			}()
		}
	}
	wg.Wait()
	placing := make([]int, 0, len(files))
	for i, r := range reqs {
		if errs[i] = files[i].closeSynced(r.handled, r.err); errs[i] == nil {
			placing = append(placing, i)
		}
	}
	done := 0
	err := d.cfg.AsUser(func() error {
		for _, i := range placing {
			if err := files[i].place(); err != nil {
				errs[i] = asError(err)
			} else {
				hosts[i] = files[i].host
			}
			done++
		}
		return nil
	})
	if err != nil {
		for _, i := range placing[done:] { // AsUser failed before placing these
			errs[i] = asError(err)
		}
	}
	return hosts, errs
}

func (f *diskFile) perm() fs.FileMode {
	if perm := f.meta.Mode.Perm(); perm != 0 {
		return perm
	}
	return 0o644
}

func (f *diskFile) applyAttrs(p string) error {
	if !f.chmodded {
		if err := os.Chmod(p, f.perm()); err != nil {
			return err
		}
	}
	if !f.meta.Mtime.IsZero() {
		return os.Chtimes(p, f.meta.Mtime, f.meta.Mtime)
	}
	return nil
}

// place applies the mode and mtime to the partfile and moves it to the host
// path (as the user). Modes that never overwrite use link(2), which fails
// atomically when the target exists.
func (f *diskFile) place() error {
	if err := f.applyAttrs(f.part); err != nil {
		return err
	}
	switch f.sink.cfg.Overwrite {
	case OverwriteNever, OverwritePartfileNever:
		if err := os.Link(f.part, f.host); err != nil {
			if errors.Is(err, fs.ErrExist) {
				if f.sink.cfg.Overwrite == OverwriteNever {
					os.Remove(f.part)
					return errorf(CodeExists, "%s already exists (overwrite mode never)", f.meta.Path)
				}
				return errorf(CodeExists, "%s already exists; the received data was kept in %s", f.meta.Path, f.part)
			}
			return err
		}
		return os.Remove(f.part)
	case OverwriteSameSize:
		if fi, err := os.Stat(f.host); err == nil && fi.Size() != f.meta.Size && fi.Size() != 0 {
			os.Remove(f.part)
			return errorf(CodeExists, "%s exists with size %d, not %d (overwrite mode same size)", f.meta.Path, fi.Size(), f.meta.Size)
		}
	case OverwritePartfileBackup:
		if fi, err := os.Lstat(f.host); err == nil && fi.Mode().IsRegular() {
			bak := f.host + backupSuffix
			if err := os.Remove(bak); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			if err := os.Link(f.host, bak); err != nil {
				return err
			}
		}
	}
	return os.Rename(f.part, f.host)
}
