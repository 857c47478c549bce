package engine

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"time"
)

// Source is the sending side's file provider.
type Source interface {
	// Next returns up to max more files in index order (Index 0, 1, 2, ...) and io.EOF
	// after the last one. The list may be produced lazily (streamed ahead of data).
	Next(max int) ([]FileMeta, error)
	// Open opens f for reading. Errors fail that file only.
	Open(f FileMeta) (SourceReader, error)
}

// SourceReader reads one source file.
type SourceReader interface {
	io.ReaderAt
	// Check returns an *Error with CodeSourceChanged if the file changed since it was
	// listed or opened (size, mtime, ctime or identity).
	Check() error
	io.Closer
}

// SourceFile is one entry for NewDiskSource.
type SourceFile struct {
	LocalPath  string // host path to read
	TargetPath string // path the receiver is asked to write ('/'-separated)
	Size       int64
	Mode       fs.FileMode
	Mtime      time.Time // zero = not checked at open
	EmptyDir   bool
}

// NewDiskSource returns a Source over local files. Open compares each file with its
// listed Size and Mtime and Check re-stats it, so a file changing during the
// transfer fails with source_changed instead of being silently mixed.
func NewDiskSource(files []SourceFile) Source {
	return &diskSource{files: files}
}

type diskSource struct {
	files []SourceFile
	next  int
}

func (d *diskSource) Next(max int) ([]FileMeta, error) {
	if d.next >= len(d.files) {
		return nil, io.EOF
	}
	end := min(len(d.files), d.next+max)
	out := make([]FileMeta, 0, end-d.next)
	for i := d.next; i < end; i++ {
		f := d.files[i]
		out = append(out, FileMeta{Index: i, Path: f.TargetPath, Size: f.Size, Mode: f.Mode, Mtime: f.Mtime, EmptyDir: f.EmptyDir})
	}
	d.next = end
	return out, nil
}

func (d *diskSource) Open(m FileMeta) (SourceReader, error) {
	if m.Index < 0 || m.Index >= len(d.files) {
		return nil, errorf(CodeProtocol, "no source file %d", m.Index)
	}
	sf := d.files[m.Index]
	f, err := os.Open(sf.LocalPath)
	if err != nil {
		return nil, &Error{Code: CodeSourceUnreadable, Msg: err.Error()}
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, &Error{Code: CodeSourceUnreadable, Msg: err.Error()}
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, errorf(CodeSourceUnreadable, "%s is not a regular file", sf.LocalPath)
	}
	if fi.Size() != sf.Size || (!sf.Mtime.IsZero() && !fi.ModTime().Equal(sf.Mtime)) {
		f.Close()
		return nil, errorf(CodeSourceChanged, "%s changed since it was listed (size %d, was %d)", sf.LocalPath, fi.Size(), sf.Size)
	}
	return &diskReader{f: f, path: sf.LocalPath, fi: fi, ctime: ctimeOf(fi)}, nil
}

type diskReader struct {
	f     *os.File
	path  string
	fi    fs.FileInfo
	ctime time.Time
}

func (r *diskReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := r.f.ReadAt(p, off)
	if err != nil && !errors.Is(err, io.EOF) {
		return n, &Error{Code: CodeSourceUnreadable, Msg: err.Error()}
	}
	if n < len(p) {
		return n, errorf(CodeSourceChanged, "%s is shorter than listed", r.path)
	}
	return n, nil
}

func (r *diskReader) Check() error {
	fi, err := r.f.Stat()
	if err != nil {
		return &Error{Code: CodeSourceUnreadable, Msg: err.Error()}
	}
	if fi.Size() != r.fi.Size() || !fi.ModTime().Equal(r.fi.ModTime()) || !ctimeOf(fi).Equal(r.ctime) {
		return errorf(CodeSourceChanged, "%s was modified during the transfer", r.path)
	}
	pfi, err := os.Stat(r.path)
	if err != nil || !os.SameFile(pfi, fi) {
		return errorf(CodeSourceChanged, "%s was replaced during the transfer", r.path)
	}
	return nil
}

func (r *diskReader) Close() error { return r.f.Close() }
