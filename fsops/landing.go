package fsops

import (
	"errors"
	"strings"
)

// LandingPath implements the destination-path table: <sandbox
// root>/<destinationPath>/<fileTargetPath>. Relative target paths are taken
// from "/"; named roots work in destinationPath and in targetPath
// ("name:..." in either, not both -> error). Returns the host path, confined
// as Resolve.
//
// Each part is cleaned on its own: ".." may not climb above the start of its
// part, so a file's target path can never leave the transfer's
// destinationPath. An empty target path (or one that cleans to "/") is an
// error: a file needs a name; so is a path that resolves to a sandbox root.
func (s *Sandbox) LandingPath(destinationPath, targetPath string) (string, error) {
	const op = "landing"
	shown := joinShown(destinationPath, targetPath)
	for _, p := range []string{destinationPath, targetPath} {
		if err := checkUserPath(op, p); err != nil {
			return "", err
		}
	}
	if s == nil {
		return "", pathErr(op, shown, CodeInvalidPath, errNoSandbox)
	}
	droot, drest, dnamed, _ := s.splitRoot(op, destinationPath)
	troot, trest, tnamed, _ := s.splitRoot(op, targetPath)
	root, ok := s.defaultRoot()
	switch {
	case dnamed && tnamed:
		return "", pathErr(op, shown, CodeInvalidPath,
			errors.New("a named root is given in both the destination path and the file target path"))
	case dnamed:
		root, trest = droot, targetPath
	case tnamed:
		root, drest = troot, destinationPath
	case !ok:
		return "", s.noDefaultRoot(op, shown)
	default:
		drest, trest = destinationPath, targetPath
	}
	dcomps, err := cleanComponents(op, shown, drest)
	if err != nil {
		return "", err
	}
	tcomps, err := cleanComponents(op, shown, trest)
	if err != nil {
		return "", err
	}
	if len(tcomps) == 0 {
		return "", pathErr(op, shown, CodeInvalidPath, errors.New("the file target path is empty"))
	}
	comps := append(dcomps, tcomps...)
	if len(hostOf(root.Path, comps)) > maxPathLen {
		return "", pathErr(op, shown, CodeInvalidPath, errors.New("the landing path is too long"))
	}
	t, err := s.walk(op, shown, root, comps, true)
	if err != nil {
		return "", err
	}
	if t.isRoot() || s.isRootPath(t.host) {
		// Links can bring a target back to a root: never let a file replace one.
		return "", pathErr(op, shown, CodeInvalidPath, errors.New("the landing path is a sandbox root"))
	}
	return t.host, nil
}

// joinShown renders destinationPath and targetPath as one user path for
// error messages.
func joinShown(dest, tgt string) string {
	switch {
	case dest == "":
		return tgt
	case tgt == "":
		return dest
	}
	return strings.TrimSuffix(dest, "/") + "/" + strings.TrimPrefix(tgt, "/")
}
