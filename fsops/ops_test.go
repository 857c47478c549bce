//go:build unix

package fsops

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func newOps(t *testing.T) (fixture, Ops) {
	t.Helper()
	fx := newFixture(t)
	return fx, Ops{Sandbox: fx.sandbox(t), ID: CurrentIdentity()}
}

func TestLsDirectory(t *testing.T) {
	fx, o := newOps(t)
	if err := unix.Mkfifo(fx.root+"/fifo", 0o644); err != nil {
		t.Fatal(err)
	}
	dir, entries, err := o.Ls(context.Background(), "/", false)
	if err != nil {
		t.Fatal(err)
	}
	if dir != "/" {
		t.Errorf("dir = %q, want /", dir)
	}
	ts := fixedTime.Unix()
	rw, rwx := AccessRead|AccessWrite, AccessRead|AccessWrite|AccessExec
	want := map[string]Entry{
		"a":        {Name: "a", Type: TypeDirectory, Mtime: ts, Access: rwx},
		"exec.sh":  {Name: "exec.sh", Type: TypeRegular, Size: 3, Mtime: ts, Access: rwx},
		"file.txt": {Name: "file.txt", Type: TypeRegular, Size: 10, Mtime: ts, Access: rw},
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name)
		if w, ok := want[e.Name]; ok && e != w {
			t.Errorf("entry %+v, want %+v", e, w)
		}
		if e.Name == "in" || e.Name == "out" || e.Name == "dangle" {
			if e.Type != TypeSymlink || e.Size != 0 {
				t.Errorf("link entry %+v, want type 5 size 0", e)
			}
		}
	}
	wantNames := []string{"a", "chain", "dangle", "dangleout", "deep", "dotdot", "exec.sh", "file.txt",
		"in", "inabs", "loop1", "loop2", "out", "outabs", "self", "up"} // fifo left out, sorted
	if !reflect.DeepEqual(names, wantNames) {
		t.Errorf("names = %v\nwant    %v", names, wantNames)
	}
}

func TestLsCases(t *testing.T) {
	fx, o := newOps(t)
	ctx := context.Background()
	tests := []struct {
		name      string
		path      string
		directory bool
		wantDir   string
		wantNames []string
		wantType  int // type of the single entry, when one entry is expected
		code      ErrorCode
	}{
		{name: "subdirectory", path: "a/b", wantDir: "/a/b", wantNames: []string{"file.txt"}},
		{name: "file", path: "a/b/file.txt", wantDir: "/a/b", wantNames: []string{"file.txt"}, wantType: TypeRegular},
		{name: "directory itself", path: "a", directory: true, wantDir: "/", wantNames: []string{"a"}, wantType: TypeDirectory},
		{name: "root itself", path: "/", directory: true, wantDir: "", wantNames: []string{"/"}, wantType: TypeDrive | TypeDirectory},
		{name: "named root itself", path: "data:", directory: true, wantDir: "", wantNames: []string{"data"}, wantType: TypeDrive | TypeDirectory},
		{name: "named root", path: "data:", wantDir: "data:/", wantNames: []string{"x"}},
		{name: "link to directory lists it", path: "deep", wantDir: "/a/b", wantNames: []string{"file.txt"}},
		{name: "link itself", path: "deep", directory: true, wantDir: "/", wantNames: []string{"deep"}, wantType: TypeSymlink},
		{name: "escaping link shows the link", path: "out", wantDir: "/", wantNames: []string{"out"}, wantType: TypeSymlink},
		{name: "dangling link shows the link", path: "dangle", wantDir: "/", wantNames: []string{"dangle"}, wantType: TypeSymlink},
		{name: "through escaping link", path: "out/secret", code: CodeOutsideSandbox},
		{name: "dotdot escape", path: "../outside", code: CodeOutsideSandbox},
		{name: "missing", path: "nope", code: CodeNotFound},
		{name: "file as directory", path: "file.txt/x", code: CodeNotADirectory},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, entries, err := o.Ls(ctx, tt.path, tt.directory)
			checkCode(t, err, tt.code)
			if tt.code != "" {
				return
			}
			var names []string
			for _, e := range entries {
				names = append(names, e.Name)
			}
			if dir != tt.wantDir || !reflect.DeepEqual(names, tt.wantNames) {
				t.Errorf("Ls(%q) = %q %v, want %q %v", tt.path, dir, names, tt.wantDir, tt.wantNames)
			}
			if tt.wantType != 0 && entries[0].Type != tt.wantType {
				t.Errorf("type = %d, want %d", entries[0].Type, tt.wantType)
			}
		})
	}
	_ = fx
}

func TestLsSpecialFile(t *testing.T) {
	fx, o := newOps(t)
	if err := unix.Mkfifo(fx.root+"/fifo", 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := o.Ls(context.Background(), "fifo", false)
	checkCode(t, err, CodeInvalidPath)
}

func TestLsCancelled(t *testing.T) {
	_, o := newOps(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := o.Ls(ctx, "/", false)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestLsRoots(t *testing.T) {
	fx := newFixture(t)
	s, err := NewSandbox(map[string]string{"": fx.root, "data": fx.data, "-x": fx.data, "gone": fx.base + "/missing"}, "u")
	if err != nil {
		t.Fatal(err)
	}
	o := Ops{Sandbox: s, ID: CurrentIdentity()}
	entries, err := o.LsRoots()
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{Name: "-x", Type: 10, Access: 7},
		{Name: "/", Type: 10, Mtime: fixedTime.Unix(), Access: 7},
		{Name: "data", Type: 10, Access: 7},
		{Name: "gone", Type: 10},
	}
	if len(entries) != len(want) {
		t.Fatalf("entries = %+v", entries)
	}
	for i, e := range entries {
		if e.Name == "-x" || e.Name == "data" {
			e.Mtime = 0 // not fixed by the fixture
		}
		if e != want[i] {
			t.Errorf("entry %d = %+v, want %+v", i, e, want[i])
		}
	}
	entries, err = Ops{Sandbox: Unsandboxed(), ID: CurrentIdentity()}.LsRoots()
	if err != nil || len(entries) != 1 || entries[0].Name != "/" || entries[0].Type != 10 || entries[0].Size != 0 {
		t.Errorf("unsandboxed roots = %+v, %v", entries, err)
	}
}

func TestOpsWithoutSandbox(t *testing.T) {
	o := Ops{}
	_, err := o.LsRoots()
	checkCode(t, err, CodeInvalidPath)
	checkCode(t, o.Mkdir("x"), CodeInvalidPath)
	checkCode(t, o.Rm(context.Background(), "x"), CodeInvalidPath)
}

func TestDu(t *testing.T) {
	fx, o := newOps(t)
	ctx := context.Background()
	mustWrite(t, fx.data+"/x/big", strings.Repeat("z", 1000), 0o644)
	tests := []struct {
		path string
		want int64
		code ErrorCode
	}{
		{path: "/", want: 5 + 10 + 3}, // links (to a, to outside) are not followed
		{path: "a", want: 5},
		{path: "a/b/file.txt", want: 5},
		{path: "in", want: 0}, // a link counts 0
		{path: "deep", want: 0},
		{path: "data:", want: 1000},
		{path: "out/secret", code: CodeOutsideSandbox},
		{path: "nope", code: CodeNotFound},
	}
	for _, tt := range tests {
		got, err := o.Du(ctx, tt.path)
		checkCode(t, err, tt.code)
		if tt.code == "" && got != tt.want {
			t.Errorf("Du(%q) = %d, want %d", tt.path, got, tt.want)
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := o.Du(cctx, "/"); !errors.Is(err, context.Canceled) || CodeOf(err) != CodeIO {
		t.Errorf("cancelled Du: %v", err)
	}
}

func TestMkdir(t *testing.T) {
	fx, o := newOps(t)
	tests := []struct {
		path    string
		created string // host path that must be a directory afterwards
		code    ErrorCode
	}{
		{path: "new/x/y", created: fx.root + "/new/x/y"},
		{path: "new/x/y", created: fx.root + "/new/x/y"}, // idempotent
		{path: "/", created: fx.root},
		{path: "a", created: fx.root + "/a"},
		{path: "in/made", created: fx.root + "/a/made"}, // through a link inside
		{path: "deep", created: fx.root + "/a/b"},       // a link to a directory is that directory
		{path: "dangle", created: fx.root + "/a/new"},   // a dangling link inside: its target
		{path: "data:y/z", created: fx.data + "/y/z"},
		{path: "file.txt", code: CodeNotADirectory},
		{path: "file.txt/x", code: CodeNotADirectory},
		{path: "out/x", code: CodeOutsideSandbox},
		{path: "dangleout", code: CodeOutsideSandbox},
		{path: "../x", code: CodeOutsideSandbox},
		{path: "a\x00", code: CodeInvalidPath},
	}
	for _, tt := range tests {
		err := o.Mkdir(tt.path)
		checkCode(t, err, tt.code)
		if tt.created != "" {
			if fi, err := os.Stat(tt.created); err != nil || !fi.IsDir() {
				t.Errorf("Mkdir(%q): %s is not a directory (%v)", tt.path, tt.created, err)
			}
		}
	}
	if exists(fx.outside + "/x") {
		t.Error("Mkdir escaped the sandbox")
	}
	if err := o.Mkdir("file.txt/x"); !strings.Contains(err.Error(), `"/file.txt"`) {
		t.Errorf("error should name the file in the way: %v", err)
	}
}

func TestMv(t *testing.T) {
	fx, o := newOps(t)
	mustWrite(t, fx.data+"/x/f", "data", 0o644)
	tests := []struct {
		name       string
		from, to   string
		gone, made string // host paths relative to base
		code       ErrorCode
	}{
		{name: "rename file", from: "file.txt", to: "renamed.txt", gone: "root/file.txt", made: "root/renamed.txt"},
		{name: "into directory", from: "renamed.txt", to: "a/moved.txt", gone: "root/renamed.txt", made: "root/a/moved.txt"},
		{name: "across roots", from: "data:x/f", to: "/from-data", gone: "data/x/f", made: "root/from-data"},
		{name: "link itself", from: "out", to: "out2", gone: "root/out", made: "root/out2"},
		{name: "to existing", from: "exec.sh", to: "a/moved.txt", code: CodeExists},
		{name: "to existing directory", from: "exec.sh", to: "a", code: CodeExists},
		{name: "missing source", from: "nope", to: "x", code: CodeNotFound},
		{name: "missing parent", from: "exec.sh", to: "no/such/dir", code: CodeNotFound},
		{name: "root", from: "/", to: "x", code: CodePermissionDenied},
		{name: "named root", from: "data:", to: "x", code: CodePermissionDenied},
		{name: "onto root", from: "exec.sh", to: "data:", code: CodeExists},
		{name: "into itself", from: "a", to: "a/b/c", code: CodeInvalidPath},
		{name: "into itself through link", from: "a", to: "deep/c", code: CodeInvalidPath},
		{name: "out of the sandbox", from: "exec.sh", to: "../x", code: CodeOutsideSandbox},
		{name: "through escaping link", from: "exec.sh", to: "outabs/x", code: CodeOutsideSandbox},
		{name: "same path", from: "exec.sh", to: "/exec.sh"},
		{name: "same missing path", from: "nope", to: "/nope", code: CodeNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := o.Mv(tt.from, tt.to)
			checkCode(t, err, tt.code)
			if tt.gone != "" && exists(filepath.Join(fx.base, tt.gone)) {
				t.Errorf("%s still exists", tt.gone)
			}
			if tt.made != "" && !exists(filepath.Join(fx.base, tt.made)) {
				t.Errorf("%s was not made", tt.made)
			}
		})
	}
	if !exists(fx.outside+"/secret") || exists(fx.base+"/x") {
		t.Error("Mv touched something outside the sandbox")
	}
}

func TestMvRootHolder(t *testing.T) {
	fx := newFixture(t)
	mustMkdir(t, fx.root+"/a/inner")
	s, err := NewSandbox(map[string]string{"": fx.root, "inner": fx.root + "/a/inner"}, "u")
	if err != nil {
		t.Fatal(err)
	}
	o := Ops{Sandbox: s, ID: CurrentIdentity()}
	checkCode(t, o.Mv("a", "b"), CodePermissionDenied)
	checkCode(t, o.Mv("a/inner", "b"), CodePermissionDenied)
	checkCode(t, o.Rm(context.Background(), "a"), CodePermissionDenied)
	checkCode(t, o.Rm(context.Background(), "/a/inner/"), CodePermissionDenied)
	if !exists(fx.root + "/a/inner") {
		t.Error("root removed")
	}
}

func TestRm(t *testing.T) {
	fx, o := newOps(t)
	ctx := context.Background()
	// A tree with a link to the outside, a link to a directory inside and
	// more entries than one directory batch.
	mustMkdir(t, fx.root+"/tree/sub/subsub")
	for i := range 2500 {
		mustWrite(t, fmt.Sprintf("%s/tree/sub/f%04d", fx.root, i), "x", 0o644)
	}
	for _, l := range []struct{ dest, name string }{{fx.outside, "tree/escape"}, {"../a", "tree/inlink"}, {fx.outside + "/secret", "tree/sub/subsub/s"}} {
		if err := os.Symlink(l.dest, filepath.Join(fx.root, l.name)); err != nil {
			t.Fatal(err)
		}
	}
	deep := fx.root + "/deeptree"
	for range 60 {
		deep += "/d"
	}
	mustMkdir(t, deep)
	mustWrite(t, deep+"/leaf", "x", 0o644)

	if n, err := o.Du(ctx, "tree"); err != nil || n != 2500 {
		t.Errorf("Du(tree) = %d, %v; want 2500", n, err)
	}
	if _, entries, err := o.Ls(ctx, "tree/sub", false); err != nil || len(entries) != 2501 {
		t.Errorf("Ls(tree/sub) = %d entries, %v; want 2501", len(entries), err)
	}

	tests := []struct {
		path string
		gone string // relative to base
		code ErrorCode
	}{
		{path: "tree", gone: "root/tree"},
		{path: "deeptree", gone: "root/deeptree"},
		{path: "out", gone: "root/out"}, // the link, not its target
		{path: "in", gone: "root/in"},
		{path: "a/b/file.txt", gone: "root/a/b/file.txt"},
		{path: "data:x", gone: "data/x"},
		{path: "nope", code: CodeNotFound},
		{path: "/", code: CodePermissionDenied},
		{path: "", code: CodePermissionDenied},
		{path: "data:", code: CodePermissionDenied},
		{path: "a/..", code: CodePermissionDenied},
		{path: "../outside", code: CodeOutsideSandbox},
		{path: "outabs/secret", code: CodeOutsideSandbox},
		{path: "file.txt/x", code: CodeNotADirectory},
	}
	for _, tt := range tests {
		err := o.Rm(ctx, tt.path)
		checkCode(t, err, tt.code)
		if tt.gone != "" && exists(filepath.Join(fx.base, tt.gone)) {
			t.Errorf("Rm(%q): %s still exists", tt.path, tt.gone)
		}
	}
	for _, p := range []string{fx.outside + "/secret", fx.root + "/a", fx.root, fx.data} {
		if !exists(p) {
			t.Errorf("%s was removed", p)
		}
	}
}

func TestRmCancelled(t *testing.T) {
	fx, o := newOps(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := o.Rm(ctx, "a")
	if !errors.Is(err, context.Canceled) || CodeOf(err) != CodeIO {
		t.Errorf("err = %v", err)
	}
	if !exists(fx.root + "/a/b/file.txt") {
		t.Error("a cancelled Rm removed files")
	}
}

func TestRmNamesTheFailingEntry(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can remove anything; the AsUser test covers permission errors")
	}
	fx, o := newOps(t)
	mustMkdir(t, fx.root+"/ro/locked")
	mustWrite(t, fx.root+"/ro/locked/f", "x", 0o644)
	if err := os.Chmod(fx.root+"/ro/locked", 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(fx.root+"/ro/locked", 0o755) })
	err := o.Rm(context.Background(), "ro")
	checkCode(t, err, CodePermissionDenied)
	if !strings.Contains(err.Error(), `"ro/locked/f"`) {
		t.Errorf("error should name ro/locked/f: %v", err)
	}
}

func TestTooDeepTree(t *testing.T) {
	fx, o := newOps(t)
	p := fx.root + "/toodeep"
	for range maxTreeDepth + 2 {
		p += "/d"
	}
	mustMkdir(t, p)
	ctx := context.Background()
	_, err := o.Du(ctx, "toodeep")
	checkCode(t, err, CodeIO)
	if !strings.Contains(err.Error(), "deeper than") {
		t.Errorf("Du error: %v", err)
	}
	checkCode(t, o.Rm(ctx, "toodeep"), CodeIO)
	if !exists(p) {
		t.Error("a failed Rm removed part of the tree")
	}
}
