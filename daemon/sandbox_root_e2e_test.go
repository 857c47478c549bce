package daemon_test

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"syscall"
	"testing"

	"github.com/jetstream-go/jetstream/daemon/daemontest"
	"github.com/jetstream-go/jetstream/fsops"
)

// osAccount creates a throw-away OS account (removed at the end), or skips.
func osAccount(t *testing.T) fsops.Identity {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("creating sandbox roots owned by a user needs root")
	}
	useradd, err1 := exec.LookPath("useradd")
	userdel, err2 := exec.LookPath("userdel")
	if err1 != nil || err2 != nil {
		t.Skip("useradd/userdel not found")
	}
	var b [4]byte
	rand.Read(b[:])
	name := "jsd" + hex.EncodeToString(b[:])
	if out, err := exec.Command(useradd, "--no-create-home", "--shell", "/usr/sbin/nologin", "--user-group", name).CombinedOutput(); err != nil {
		t.Skipf("useradd: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command(userdel, name).CombinedOutput(); err != nil {
			t.Errorf("userdel %s: %v: %s", name, err, out)
		}
	})
	id, err := fsops.LookupIdentity(name)
	if err != nil || id.UID == 0 {
		t.Fatalf("test account %+v: %v", id, err)
	}
	return id
}

// TestSandboxRootCreatedAtLogin: a missing per-user root is created at
// login, 0700 and owned by the user; the administrator's part of the path,
// shared roots and planted links are left alone.
func TestSandboxRootCreatedAtLogin(t *testing.T) {
	id := osAccount(t)
	base := daemontest.OpenDir(t)
	tests := []struct {
		name     string
		roots    map[string]string
		setup    func(t *testing.T)
		created  []string // made at login, owned by the user, 0700
		notThere []string // must not exist afterwards
	}{
		{name: "one level", roots: map[string]string{"": base + "/one/%u"},
			setup:   func(t *testing.T) { os.MkdirAll(base+"/one", 0o755) },
			created: []string{base + "/one/" + id.Name}},
		{name: "below the user element", roots: map[string]string{"": base + "/two/%u/data", "x": base + "/two/shared"},
			setup:    func(t *testing.T) { os.MkdirAll(base+"/two", 0o755) },
			created:  []string{base + "/two/" + id.Name, base + "/two/" + id.Name + "/data"},
			notThere: []string{base + "/two/shared"}},
		{name: "base missing", roots: map[string]string{"": base + "/three/%u"},
			notThere: []string{base + "/three"}},
		{name: "planted link", roots: map[string]string{"": base + "/four/%u/data"},
			setup: func(t *testing.T) {
				os.MkdirAll(base+"/four", 0o755)
				os.MkdirAll(base+"/elsewhere", 0o755)
				if err := os.Symlink(base+"/elsewhere", base+"/four/"+id.Name); err != nil {
					t.Fatal(err)
				}
			},
			notThere: []string{base + "/elsewhere/data"}},
	}
	d := daemontest.Start(t)
	d.AddUser("admin", "pw-admin-1", true)
	d.AddUser(id.Name, "pw-user-12", false) // a built-in account with the OS account's identity
	su := d.Superuser("admin", "pw-admin-1")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.setup != nil {
				tc.setup(t)
			}
			if err := su.Call(bg, "setSandboxMapping", map[string]any{"userName": id.Name, "sandboxRoots": tc.roots}, nil); err != nil {
				t.Fatal(err)
			}
			d.Login(id.Name, "pw-user-12") // must succeed even when a root cannot be made
			for _, p := range tc.created {
				fi, err := os.Lstat(p)
				if err != nil {
					t.Fatalf("%s not created: %v", p, err)
				}
				st := fi.Sys().(*syscall.Stat_t)
				if !fi.IsDir() || fi.Mode().Perm() != 0o700 || st.Uid != id.UID || st.Gid != id.GID {
					t.Fatalf("%s: mode %v owner %d:%d; want a 0700 directory of %d:%d", p, fi.Mode(), st.Uid, st.Gid, id.UID, id.GID)
				}
			}
			for _, p := range tc.notThere {
				if _, err := os.Lstat(p); !os.IsNotExist(err) {
					t.Fatalf("%s exists: %v", p, err)
				}
			}
		})
	}
	// The user's own later operations work in the created root.
	if err := su.Call(bg, "setSandboxMapping", map[string]any{"userName": id.Name, "sandboxRoots": map[string]string{"": base + "/one/%u"}}, nil); err != nil {
		t.Fatal(err)
	}
	c := d.Login(id.Name, "pw-user-12")
	if err := c.Mkdir(bg, "/made-by-user"); err != nil {
		t.Fatalf("mkdir in the created root: %v", err)
	}
}
