//go:build unix

package fsops

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"golang.org/x/sys/unix"
)

// walkTree is:
//
//	src/f1 (3 bytes), src/d/f2 (2 bytes), src/empty/, src/onlylink/l -> ../f1,
//	src/ldir -> d, src/fifo
func walkTree(t *testing.T) string {
	t.Helper()
	src := filepath.Join(t.TempDir(), "src")
	for _, d := range []string{"d", "empty", "onlylink"} {
		mustMkdir(t, filepath.Join(src, d))
	}
	mustWrite(t, src+"/f1", "abc", 0o644)
	mustWrite(t, src+"/d/f2", "de", 0o644)
	for name, dest := range map[string]string{"onlylink/l": "../f1", "ldir": "d"} {
		if err := os.Symlink(dest, filepath.Join(src, name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := unix.Mkfifo(src+"/fifo", 0o644); err != nil {
		t.Fatal(err)
	}
	return src
}

// collect records "rel size" for files and "rel/" for empty directories.
func collect(out *[]string) func(string, os.FileInfo, bool) error {
	return func(rel string, fi os.FileInfo, empty bool) error {
		if empty {
			*out = append(*out, rel+"/")
		} else {
			*out = append(*out, fmt.Sprintf("%s %d", rel, fi.Size()))
		}
		return nil
	}
}

func TestWalkFiles(t *testing.T) {
	src := walkTree(t)
	emptyRoot := filepath.Join(t.TempDir(), "e")
	mustMkdir(t, emptyRoot)
	tests := []struct {
		name   string
		root   string
		follow bool
		want   []string
	}{
		{"no follow", src, false, []string{"d/f2 2", "empty/", "f1 3", "onlylink/"}},
		{"follow", src, true, []string{"d/f2 2", "empty/", "f1 3", "ldir/f2 2", "onlylink/l 3"}},
		{"single file", src + "/f1", false, []string{". 3"}},
		{"empty root", emptyRoot, false, []string{"./"}},
		{"root link not followed", src + "/ldir", false, nil},
		{"root link followed", src + "/ldir", true, []string{"f2 2"}},
		{"fifo root", src + "/fifo", true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			if err := WalkFiles(context.Background(), tt.root, tt.follow, collect(&got)); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestWalkFilesErrors(t *testing.T) {
	base := t.TempDir()
	mustMkdir(t, base+"/loop/a")
	if err := os.Symlink("..", base+"/loop/a/up"); err != nil {
		t.Fatal(err)
	}
	mustMkdir(t, base+"/dangling")
	if err := os.Symlink("nowhere", base+"/dangling/l"); err != nil {
		t.Fatal(err)
	}
	nop := func(string, os.FileInfo, bool) error { return nil }
	ctx := context.Background()

	checkCode(t, WalkFiles(ctx, base+"/loop", true, nop), CodeInvalidPath)
	checkCode(t, WalkFiles(ctx, base+"/loop", false, nop), "")
	checkCode(t, WalkFiles(ctx, base+"/dangling", true, nop), CodeNotFound)
	checkCode(t, WalkFiles(ctx, base+"/dangling", false, nop), "")
	checkCode(t, WalkFiles(ctx, base+"/missing", false, nop), CodeNotFound)

	stop := errors.New("stop")
	calls := 0
	err := WalkFiles(ctx, walkTree(t), false, func(string, os.FileInfo, bool) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Errorf("fn error: err=%v calls=%d", err, calls)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := WalkFiles(cctx, walkTree(t), false, nop); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled walk: %v", err)
	}
}

func TestSandboxWalkFiles(t *testing.T) {
	fx := newFixture(t)
	s := fx.sandbox(t)
	mustMkdir(t, fx.root+"/w")
	mustWrite(t, fx.root+"/w/f", "1234", 0o644)
	if err := os.Symlink("../a/b", fx.root+"/w/inside"); err != nil {
		t.Fatal(err)
	}
	type rec struct{ rel, host string }
	var got []rec
	err := s.WalkFiles(context.Background(), "w", true, func(rel, host string, fi os.FileInfo, empty bool) error {
		got = append(got, rec{rel, host})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []rec{{"f", fx.root + "/w/f"}, {"inside/file.txt", fx.root + "/a/b/file.txt"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}

	if err := os.Symlink(fx.outside, fx.root+"/w/escape"); err != nil {
		t.Fatal(err)
	}
	nop := func(string, string, os.FileInfo, bool) error { return nil }
	err = s.WalkFiles(context.Background(), "w", true, nop)
	checkCode(t, err, CodeOutsideSandbox)
	checkCode(t, s.WalkFiles(context.Background(), "w", false, nop), "")
	checkCode(t, s.WalkFiles(context.Background(), "../x", false, nop), CodeOutsideSandbox)
	checkCode(t, s.WalkFiles(context.Background(), "out", true, nop), CodeOutsideSandbox)
}
