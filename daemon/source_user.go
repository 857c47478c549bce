package daemon

import (
	"fmt"
	"os"

	"github.com/jetstream-go/jetstream/fsops"
	"github.com/jetstream-go/jetstream/net/engine"
)

// userSource returns a disk source that opens every file with the owner's
// file-system identity. A server running as root must never read a file for a
// user who could not read it: without this a user could list a file of their
// own, swap it for a link to a root-only file before the transfer reads it, and
// receive that file. A path that is a symbolic link when it is opened (the walk
// that built the list resolved links already) fails with source_changed.
func userSource(files []engine.SourceFile, id fsops.Identity) engine.Source {
	return &userDiskSource{Source: engine.NewDiskSource(files), files: files, id: id}
}

type userDiskSource struct {
	engine.Source
	files []engine.SourceFile
	id    fsops.Identity
}

// Open opens m as the owner, refusing a path that became a link.
func (u *userDiskSource) Open(m engine.FileMeta) (engine.SourceReader, error) {
	if m.Index < 0 || m.Index >= len(u.files) {
		return nil, &engine.Error{Code: engine.CodeProtocol, Msg: fmt.Sprintf("no source file %d", m.Index)}
	}
	path := u.files[m.Index].LocalPath
	var r engine.SourceReader
	err := fsops.AsUser(u.id, func() error {
		if err := notLink(path); err != nil {
			return err
		}
		var err error
		if r, err = u.Source.Open(m); err != nil {
			return err
		}
		if err := notLink(path); err != nil {
			r.Close()
			r = nil
			return err
		}
		return nil
	})
	if err != nil {
		if _, typed := err.(*engine.Error); typed {
			return nil, err
		}
		return nil, &engine.Error{Code: engine.CodeSourceUnreadable, Msg: err.Error()}
	}
	return r, nil
}

func notLink(path string) error {
	fi, err := os.Lstat(path)
	if err != nil {
		return &engine.Error{Code: engine.CodeSourceUnreadable, Msg: err.Error()}
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		return &engine.Error{Code: engine.CodeSourceChanged, Msg: path + " was replaced by a symbolic link since it was listed"}
	}
	return nil
}
