//go:build unix

package store

import (
	"os"
	"syscall"
	"testing"
)

func TestNewAccountFileBelongsToDirOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to chown")
	}
	a := testAccounts(t)
	if err := os.MkdirAll(a.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(a.dir, 4321, 4322); err != nil {
		t.Fatal(err)
	}
	if err := a.add("alice", "pw", false); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(a.path())
	if err != nil {
		t.Fatal(err)
	}
	if st := fi.Sys().(*syscall.Stat_t); st.Uid != 4321 || st.Gid != 4322 {
		t.Errorf("users.db owned by %d:%d, want 4321:4322", st.Uid, st.Gid)
	}
}
