package fsops

import (
	"io/fs"
	"os"
)

// File types of an [Entry], as in the product's ls results.
const (
	TypeDirectory = 2
	TypeRegular   = 4
	TypeSymlink   = 5
	TypeDrive     = 8 // combined with TypeDirectory (10) for the roots of LsRoots
)

// Entry is one file in an ls result.
type Entry struct {
	Name   string `json:"name"`
	Type   int    `json:"type"`
	Size   int64  `json:"size"`  // bytes for regular files, 0 otherwise
	Mtime  int64  `json:"mtime"` // Unix seconds
	Access int    `json:"access"`
}

// entryType maps a file mode to an Entry type; false for files that are
// neither regular files, directories nor symbolic links (devices, pipes,
// sockets), which ls leaves out.
func entryType(m fs.FileMode) (int, bool) {
	switch {
	case m.IsRegular():
		return TypeRegular, true
	case m.IsDir():
		return TypeDirectory, true
	case m&fs.ModeSymlink != 0:
		return TypeSymlink, true
	}
	return 0, false
}

// newEntry builds the Entry of fi under the given name.
func newEntry(name string, fi os.FileInfo, id Identity) (Entry, bool) {
	typ, ok := entryType(fi.Mode())
	if !ok {
		return Entry{}, false
	}
	e := Entry{Name: name, Type: typ, Mtime: fi.ModTime().Unix(), Access: Access(fi, id)}
	if typ == TypeRegular {
		e.Size = fi.Size()
	}
	return e, true
}

// rootEntryName is how LsRoots names a root: "/" for the default root, the
// root's name otherwise (addressed as "name:").
func rootEntryName(r Root) string {
	if r.Name == "" {
		return "/"
	}
	return r.Name
}
