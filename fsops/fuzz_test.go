package fsops

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// resolveSeeds are inputs for FuzzResolve and, paired, FuzzLandingPath.
var resolveSeeds = []string{
	"", "/", ".", "..", "a", "/a/b/file.txt", "a//b/./file.txt", "a/b/", "a/../file.txt", "a/b/../../..",
	"../x", "/../x", "newfile", "new/dir/file", "file.txt/x", "in/b", "inabs/b/file.txt", "in", "chain",
	"self/a", "self/self/self/..", "out", "out/secret", "outabs/secret", "up", "dotdot/x", "loop1", "loop1/x",
	"dangle", "dangleout", "dangle/x", "a\x00b", strings.Repeat("a/", 2100), strings.Repeat("x", 256),
	`C:\x`, `C:\Users\..\x`, `..\..\etc`, "data:", "data:/x", "data:x/../y", "data:../x", "nope:x",
	"/data:x", ":x", "data:in", "deep/../../outside", "in/../../outside", "self/../outside",
	"/proc/self/root/etc", "//", "./.././", "a/./b/./../b/file.txt/", "\xff\xfe", "out/../a",
}

// knownCodes are the codes a *PathError may carry.
var knownCodes = map[ErrorCode]bool{
	CodeOutsideSandbox: true, CodeNotFound: true, CodePermissionDenied: true, CodeExists: true,
	CodeNotADirectory: true, CodeInvalidPath: true, CodeIO: true,
}

// fuzzSandboxes are the sandboxes checked by the fuzz targets, each with
// its roots as configured and as real (symlink-free) directories.
type fuzzSandbox struct {
	s          *Sandbox
	roots      []string // configured root directories
	realRoots  []string // the same, symbolic links resolved
	baseSecret string   // must not appear in error messages
}

func fuzzSandboxes(f *testing.F) []fuzzSandbox {
	fx := newFixture(f)
	viaLink, err := NewSandbox(map[string]string{"": fx.base + "/rootlink", "data": fx.data}, "u")
	if err != nil {
		f.Fatal(err)
	}
	return []fuzzSandbox{
		{s: fx.sandbox(f), roots: []string{fx.root, fx.data}, realRoots: []string{fx.root, fx.data}, baseSecret: fx.base},
		{s: viaLink, roots: []string{fx.base + "/rootlink", fx.data}, realRoots: []string{fx.root, fx.data}, baseSecret: fx.base},
	}
}

// checkConfined verifies a Resolve-like result: an error is a well-formed
// *PathError; a path is clean, inside a configured root, and its deepest
// existing ancestor (itself when follow and it exists) is physically inside
// a real root.
func (fz fuzzSandbox) checkConfined(t *testing.T, input, host string, err error, follow bool) {
	t.Helper()
	if err != nil {
		var pe *PathError
		if !errors.As(err, &pe) || !knownCodes[pe.Code] {
			t.Fatalf("%q: error %v (%T) is not a *PathError with a known code", input, err, err)
		}
		msg := err.Error()
		if strings.Contains(msg, "\n") {
			t.Fatalf("%q: multi-line error %q", input, msg)
		}
		if !strings.Contains(input, fz.baseSecret) && strings.Contains(msg, fz.baseSecret) {
			t.Fatalf("%q: error leaks the host path: %q", input, msg)
		}
		return
	}
	if host != path.Clean(host) || len(host) > maxPathLen {
		t.Fatalf("%q: result %q is not clean or too long", input, host)
	}
	inside := false
	for _, r := range fz.roots {
		inside = inside || within(host, r)
	}
	if !inside {
		t.Fatalf("%q: result %q is outside the roots %v", input, host, fz.roots)
	}
	p := host
	if !follow {
		p = path.Dir(host)
		if !inside || slicesContain(fz.roots, host) {
			p = host
		}
	}
	for {
		if _, err := os.Lstat(p); err == nil || !errors.Is(err, fs.ErrNotExist) {
			break
		}
		p = path.Dir(p)
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return // a link loop or dangling link at p: nothing is reachable through it
	}
	for _, r := range fz.realRoots {
		if within(real, r) {
			return
		}
	}
	t.Fatalf("%q: result %q reaches %q, outside the real roots %v", input, host, real, fz.realRoots)
}

func slicesContain(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func FuzzResolve(f *testing.F) {
	for _, s := range resolveSeeds {
		f.Add(s)
	}
	sandboxes := fuzzSandboxes(f)
	f.Fuzz(func(t *testing.T, p string) {
		for _, fz := range sandboxes {
			host, err := fz.s.Resolve(p)
			fz.checkConfined(t, p, host, err, true)
			host, err = fz.s.ResolveNoFollow(p)
			fz.checkConfined(t, p, host, err, false)
		}
	})
}

func FuzzLandingPath(f *testing.F) {
	for i, s := range resolveSeeds {
		f.Add("", s)
		f.Add(resolveSeeds[(i*7+3)%len(resolveSeeds)], s)
	}
	f.Add("data:/proj", "/x/f")
	f.Add("/proj", "data:x/f")
	f.Add("data:/a", "data:/b")
	f.Add("/proj", "../f")
	sandboxes := fuzzSandboxes(f)
	f.Fuzz(func(t *testing.T, dest, tgt string) {
		for _, fz := range sandboxes {
			host, err := fz.s.LandingPath(dest, tgt)
			fz.checkConfined(t, dest+"|"+tgt, host, err, true)
			if err == nil && host == fz.roots[0] {
				t.Fatalf("LandingPath(%q, %q) is the root itself", dest, tgt)
			}
		}
	})
}
