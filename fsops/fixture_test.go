package fsops

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fixture is a small tree with links that stay inside and links that escape:
//
//	base/root/            default root
//	  a/b/file.txt        5 bytes
//	  file.txt            10 bytes
//	  exec.sh             0755, 3 bytes
//	  in -> a, inabs -> base/root/a, chain -> in/b, self -> ., deep -> a/b
//	  out -> ../outside, outabs -> base/outside, up -> a/../../outside, dotdot -> ..
//	  loop1 <-> loop2, dangle -> a/new, dangleout -> ../outside/new
//	base/outside/secret   7 bytes
//	base/data/x/          named root "data"
//	base/rootlink -> root
type fixture struct {
	base, root, outside, data string
}

// fixedTime is the mtime given to every file of the fixture.
var fixedTime = time.Unix(1700000000, 0)

func newFixture(t testing.TB) fixture {
	t.Helper()
	base, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	fx := fixture{
		base:    base,
		root:    filepath.Join(base, "root"),
		outside: filepath.Join(base, "outside"),
		data:    filepath.Join(base, "data"),
	}
	for _, d := range []string{"root/a/b", "outside", "data/x"} {
		mustMkdir(t, filepath.Join(base, d))
	}
	mustWrite(t, filepath.Join(fx.root, "a/b/file.txt"), "hello", 0o644)
	mustWrite(t, filepath.Join(fx.root, "file.txt"), "0123456789", 0o644)
	mustWrite(t, filepath.Join(fx.root, "exec.sh"), "#!/", 0o755)
	mustWrite(t, filepath.Join(fx.outside, "secret"), "secret!", 0o644)
	links := map[string]string{
		"root/in":        "a",
		"root/inabs":     filepath.Join(fx.root, "a"),
		"root/chain":     "in/b",
		"root/self":      ".",
		"root/deep":      "a/b",
		"root/out":       "../outside",
		"root/outabs":    fx.outside,
		"root/up":        "a/../../outside",
		"root/dotdot":    "..",
		"root/loop1":     "loop2",
		"root/loop2":     "loop1",
		"root/dangle":    "a/new",
		"root/dangleout": "../outside/new",
		"rootlink":       "root",
	}
	for name, dest := range links {
		if err := os.Symlink(dest, filepath.Join(base, name)); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{"root/a/b/file.txt", "root/file.txt", "root/exec.sh", "root/a/b", "root/a", "root"} {
		if err := os.Chtimes(filepath.Join(base, p), fixedTime, fixedTime); err != nil {
			t.Fatal(err)
		}
	}
	return fx
}

// sandbox returns the fixture's sandbox: default root and "data".
func (fx fixture) sandbox(t testing.TB) *Sandbox {
	t.Helper()
	s, err := NewSandbox(map[string]string{"": fx.root, "data": fx.data}, "alice")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustMkdir(t testing.TB, p string) {
	t.Helper()
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
}

func mustWrite(t testing.TB, p, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(p, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// checkCode fails unless err is a *PathError with the wanted code.
func checkCode(t testing.TB, err error, want ErrorCode) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	var pe *PathError
	if !errors.As(err, &pe) {
		t.Fatalf("error = %v (%T), want *PathError with code %s", err, err, want)
	}
	if pe.Code != want {
		t.Fatalf("code = %s (%v), want %s", pe.Code, err, want)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Fatalf("error message has a newline: %q", err.Error())
	}
}
