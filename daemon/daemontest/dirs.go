package daemontest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/jetstream-go/jetstream/fsops"
)

// OpenDir returns a new temporary directory that other users can traverse
// (t.TempDir is 0700, which a daemon acting as an unprivileged user cannot
// enter).
func OpenDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	for d := dir; d != os.TempDir() && d != "/" && d != "."; d = filepath.Dir(d) {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// BuiltinIdentity is the file-system identity a built-in account without a
// system account of the same name gets when the daemon runs as root.
func BuiltinIdentity(t testing.TB) fsops.Identity {
	t.Helper()
	if os.Geteuid() != 0 {
		return fsops.CurrentIdentity()
	}
	id, err := fsops.LookupIdentity("nobody")
	if err != nil {
		t.Skipf("no 'nobody' account: %v", err)
	}
	return id
}

// OwnedDir creates dir (and parents) owned by id, for a user's sandbox.
func OwnedDir(t testing.TB, dir string, id fsops.Identity) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		if err := os.Chown(dir, int(id.UID), int(id.GID)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// ChownTree gives every file below dir to id (as root), so a daemon acting
// as that user can read it.
func ChownTree(t testing.TB, dir string, id fsops.Identity) {
	t.Helper()
	if os.Geteuid() != 0 {
		return
	}
	err := filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, int(id.UID), int(id.GID))
	})
	if err != nil {
		t.Fatal(err)
	}
}
