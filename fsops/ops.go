package fsops

import (
	"errors"
	"os"
	"slices"
	"strings"
)

// Ops performs the API's file operations inside a sandbox as an identity.
// Every method resolves its paths and touches the filesystem inside
// [AsUser](ID, ...), so the kernel checks ID's permissions (a user cannot list
// a 0700 directory of someone else, and what they create is theirs). Errors
// are *PathError carrying the user's path.
type Ops struct {
	Sandbox *Sandbox
	ID      Identity
}

// run runs fn as o.ID. A failure to act as the user (rather than of fn) is
// reported as a *PathError too.
func (o Ops) run(op, p string, fn func() error) error {
	if o.Sandbox == nil {
		return pathErr(op, p, CodeInvalidPath, errNoSandbox)
	}
	err := AsUser(o.ID, fn)
	if err == nil {
		return nil
	}
	var pe *PathError
	if errors.As(err, &pe) {
		return err
	}
	return pathErr(op, p, CodePermissionDenied, err)
}

// LsRoots lists the sandbox's roots: type 10 (drive|dir), size 0. The default
// root is named "/", a named root by its name (address it as "name:"). A root
// that cannot be stat'ed as the user is listed with mtime 0 and access 0.
func (o Ops) LsRoots() ([]Entry, error) {
	var out []Entry
	err := o.run("lsRoots", "", func() error {
		for _, r := range o.Sandbox.roots {
			e := Entry{Name: rootEntryName(r), Type: TypeDrive | TypeDirectory}
			if fi, err := os.Stat(r.Path); err == nil && fi.IsDir() {
				e.Mtime, e.Access = fi.ModTime().Unix(), Access(fi, o.ID)
			}
			out = append(out, e)
		}
		return nil
	})
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) })
	return out, err
}

// treeErr locates an error below the starting point of a tree operation.
type treeErr struct {
	rel string
	err error
}

func (e *treeErr) Error() string { return e.rel + ": " + e.err.Error() }
func (e *treeErr) Unwrap() error { return e.err }

// inTree prefixes the location of err with the directory name it came from.
func inTree(name string, err error) error {
	var te *treeErr
	if errors.As(err, &te) {
		return &treeErr{rel: name + "/" + te.rel, err: te.err}
	}
	return &treeErr{rel: name, err: err}
}

// treeError converts an error from a tree walk started at the user's path p
// into a *PathError naming the entry that failed.
func treeError(op, p string, err error) error {
	var te *treeErr
	if errors.As(err, &te) {
		return wrapErr(op, strings.TrimSuffix(p, "/")+"/"+te.rel, te.err)
	}
	return wrapErr(op, p, err)
}
