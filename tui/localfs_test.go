package tui

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

func TestOSFS(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "sub", "deep"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "a.txt"), make([]byte, 100), 0o644))
	must(os.WriteFile(filepath.Join(dir, "sub", "b.bin"), make([]byte, 1000), 0o644))
	must(os.WriteFile(filepath.Join(dir, "sub", "deep", "c"), make([]byte, 10), 0o644))
	must(os.Symlink(filepath.Join(dir, "sub"), filepath.Join(dir, "link")))
	must(os.Symlink(filepath.Join(dir, "missing"), filepath.Join(dir, "dangling")))
	fs := OSFS{Start: dir}
	ctx := context.Background()

	if fs.Home() != dir {
		t.Errorf("Home = %q, want %q", fs.Home(), dir)
	}
	es, err := fs.ReadDir(ctx, dir)
	must(err)
	sort.Slice(es, func(i, j int) bool { return es[i].Name < es[j].Name })
	type row struct {
		name      string
		dir, link bool
		size      int64
	}
	var got []row
	for _, e := range es {
		got = append(got, row{e.Name, e.Dir, e.Symlink, e.Size})
	}
	want := []row{{"a.txt", false, false, 100}, {"dangling", false, true, got[1].size}, {"link", true, true, 0}, {"sub", true, false, 0}}
	if len(got) != len(want) {
		t.Fatalf("ReadDir = %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d = %+v, want %+v", i, got[i], want[i])
		}
	}

	n, err := fs.Du(ctx, dir)
	must(err)
	if n != 1110 {
		t.Errorf("Du = %d, want 1110 (symlinks not followed)", n)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := fs.Du(cctx, dir); err == nil {
		t.Error("Du ignored a cancelled context")
	}

	must(fs.Mkdir(ctx, filepath.Join(dir, "x", "y")))
	if st, err := os.Stat(filepath.Join(dir, "x", "y")); err != nil || !st.IsDir() {
		t.Errorf("Mkdir did not create the directory: %v", err)
	}
	if err := fs.Rename(ctx, filepath.Join(dir, "a.txt"), filepath.Join(dir, "sub")); err == nil {
		t.Error("Rename replaced an existing path")
	}
	must(fs.Rename(ctx, filepath.Join(dir, "a.txt"), filepath.Join(dir, "x", "a.txt")))
	must(fs.RemoveAll(ctx, filepath.Join(dir, "sub")))
	if _, err := os.Stat(filepath.Join(dir, "sub")); !os.IsNotExist(err) {
		t.Errorf("RemoveAll left the directory: %v", err)
	}
	for _, p := range []string{"", "/", "//"} {
		if err := fs.RemoveAll(ctx, p); err == nil {
			t.Errorf("RemoveAll(%q) was not refused", p)
		}
	}
	if err := fs.RemoveAll(ctx, filepath.Join(dir, "nope")); err == nil {
		t.Error("RemoveAll of a missing path did not fail")
	}
	if _, err := fs.ReadDir(ctx, filepath.Join(dir, "nope")); err == nil {
		t.Error("ReadDir of a missing directory did not fail")
	}
}
