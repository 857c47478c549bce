package fsops

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// testAccount creates a throw-away OS account and removes it when the test
// ends. It skips the test when that is impossible.
func testAccount(t testing.TB) Identity {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("AsUser switches credentials only when the process is root")
	}
	useradd, err := exec.LookPath("useradd")
	if err != nil {
		t.Skip("useradd not found: cannot create a test account")
	}
	userdel, err := exec.LookPath("userdel")
	if err != nil {
		t.Skip("userdel not found: could not remove a test account")
	}
	var b [4]byte
	rand.Read(b[:])
	name := "jsfsops" + hex.EncodeToString(b[:])
	out, err := exec.Command(useradd, "--no-create-home", "--shell", "/usr/sbin/nologin", "--user-group", name).CombinedOutput()
	if err != nil {
		t.Skipf("useradd failed: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command(userdel, name).CombinedOutput(); err != nil {
			t.Errorf("userdel %s: %v: %s", name, err, out)
		}
	})
	id, err := LookupIdentity(name)
	if err != nil {
		t.Fatal(err)
	}
	if id.UID == 0 || id.GID == 0 {
		t.Fatalf("test account has root ids: %+v", id)
	}
	return id
}

// openTree makes the test's temporary directories traversable by others
// (t.TempDir creates them 0700).
func openTree(t testing.TB, dir string) {
	t.Helper()
	for d := dir; d != "/" && d != os.TempDir(); d = filepath.Dir(d) {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

// threadFsuid reads the filesystem uid of the calling thread.
func threadFsuid() (int, error) {
	b, err := os.ReadFile("/proc/thread-self/status")
	if err != nil {
		return -1, err
	}
	for line := range strings.Lines(string(b)) {
		if f := strings.Fields(line); len(f) == 5 && f[0] == "Uid:" {
			return strconv.Atoi(f[4])
		}
	}
	return -1, errors.New("no Uid line in /proc/thread-self/status")
}

func TestAsUserPermissions(t *testing.T) {
	id := testAccount(t)
	base := t.TempDir()
	openTree(t, base)
	mustWrite(t, base+"/rootfile", "root", 0o644)
	mustMkdir(t, base+"/private")
	mustWrite(t, base+"/private/f", "x", 0o644)
	if err := os.Chmod(base+"/private", 0o700); err != nil {
		t.Fatal(err)
	}
	mustMkdir(t, base+"/home")
	if err := os.Chown(base+"/home", int(id.UID), int(id.GID)); err != nil {
		t.Fatal(err)
	}
	mustMkdir(t, base+"/home/locked")
	mustWrite(t, base+"/home/locked/f", "x", 0o644) // root-owned in a root-owned dir
	if err := os.Chown(base+"/home/locked", 0, 0); err != nil {
		t.Fatal(err)
	}

	s, err := NewSandbox(map[string]string{"": base}, id.Name)
	if err != nil {
		t.Fatal(err)
	}
	o := Ops{Sandbox: s, ID: id}
	ctx := context.Background()

	checkCode(t, o.Rm(ctx, "rootfile"), CodePermissionDenied)
	if !exists(base + "/rootfile") {
		t.Fatal("the user removed a root-owned file")
	}
	_, _, err = o.Ls(ctx, "private", false)
	checkCode(t, err, CodePermissionDenied)
	_, err = o.Du(ctx, "private")
	checkCode(t, err, CodePermissionDenied)
	_, err = s.Resolve("private/f") // as root: fine
	checkCode(t, err, "")
	checkCode(t, o.Mkdir("private/x"), CodePermissionDenied)
	checkCode(t, o.Mkdir("rootdir"), CodePermissionDenied)
	checkCode(t, o.Mv("rootfile", "home/stolen"), CodePermissionDenied)

	// What the user makes is theirs.
	checkCode(t, o.Mkdir("home/sub/deeper"), "")
	for _, p := range []string{"home/sub", "home/sub/deeper"} {
		fi, err := os.Stat(filepath.Join(base, p))
		if err != nil {
			t.Fatal(err)
		}
		st := fi.Sys().(*syscall.Stat_t)
		if st.Uid != id.UID || st.Gid != id.GID {
			t.Errorf("%s owned by %d:%d, want %d:%d", p, st.Uid, st.Gid, id.UID, id.GID)
		}
	}
	_, entries, err := o.Ls(ctx, "home", false)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		want := map[string]int{"sub": 7, "locked": 5}[e.Name]
		if e.Access != want {
			t.Errorf("access of %s = %d, want %d", e.Name, e.Access, want)
		}
	}

	// Rm stops at the entry it cannot remove and names it.
	err = o.Rm(ctx, "home/locked")
	checkCode(t, err, CodePermissionDenied)
	if !strings.Contains(err.Error(), `"home/locked/f"`) {
		t.Errorf("error should name home/locked/f: %v", err)
	}
	checkCode(t, o.Rm(ctx, "home/sub"), "")

	// Root still can do everything afterwards: no credentials leaked.
	if _, err := os.ReadDir(base + "/private"); err != nil {
		t.Errorf("root lost access after AsUser: %v", err)
	}
}

func TestAsUserSwitchesOnlyItsThread(t *testing.T) {
	id := testAccount(t)
	base := t.TempDir()
	openTree(t, base)
	mustMkdir(t, base+"/private")
	if err := os.Chmod(base+"/private", 0o700); err != nil {
		t.Fatal(err)
	}
	var inside int
	err := AsUser(id, func() error {
		var err error
		inside, err = threadFsuid()
		return err
	})
	if err != nil {
		t.Skipf("cannot read thread credentials: %v", err)
	}
	if inside != int(id.UID) {
		t.Errorf("fsuid inside AsUser = %d, want %d", inside, id.UID)
	}
	// Many concurrent switches while other goroutines act as root: every
	// user call is refused and every root call succeeds.
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 25 {
				if i%2 == 0 {
					err := AsUser(id, func() error { _, err := os.ReadDir(base + "/private"); return err })
					if !errors.Is(err, os.ErrPermission) {
						errs <- errors.New("user read a 0700 root directory: " + errString(err))
					}
				} else if _, err := os.ReadDir(base + "/private"); err != nil {
					errs <- errors.New("root was refused: " + err.Error())
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if got, err := threadFsuid(); err != nil || got != 0 {
		t.Errorf("fsuid of this thread = %d (%v) after AsUser", got, err)
	}
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

func TestAsUserResults(t *testing.T) {
	id := testAccount(t)
	want := errors.New("from fn")
	if err := AsUser(id, func() error { return want }); err != want {
		t.Errorf("AsUser error = %v, want fn's error", err)
	}
	err := AsUser(id, func() error { runtime.Goexit(); return nil })
	if err == nil || !strings.Contains(err.Error(), "Goexit") {
		t.Errorf("Goexit: %v", err)
	}
	func() {
		defer func() {
			if p := recover(); p != "boom" {
				t.Errorf("recovered %v, want boom", p)
			}
		}()
		AsUser(id, func() error { panic("boom") })
		t.Error("AsUser did not re-panic")
	}()
	if err := AsUser(Identity{UID: 0xFFFFFFFF, GID: 1}, func() error { return nil }); err == nil {
		t.Error("uid -1 accepted")
	}
	ran := false
	if err := AsUser(CurrentIdentity(), func() error { ran = true; return nil }); err != nil || !ran {
		t.Errorf("process owner: ran=%v err=%v", ran, err)
	}
}

// A nested AsUser with the caller's identity runs on the same thread without
// a second switch; another identity (here root's) still gets its own thread,
// and goroutines started inside never count as switched.
func TestAsUserNested(t *testing.T) {
	id := testAccount(t)
	root := CurrentIdentity()
	if RunningAs(id) {
		t.Fatal("RunningAs outside AsUser")
	}
	err := AsUser(id, func() error {
		outer := syscall.Gettid()
		if !RunningAs(id) {
			t.Error("RunningAs(id) = false inside AsUser(id)")
		}
		if RunningAs(root) {
			t.Error("RunningAs(root) = true inside AsUser(user)")
		}
		var tid, fsuid int
		if err := AsUser(id, func() error {
			var err error
			tid = syscall.Gettid()
			fsuid, err = threadFsuid()
			return err
		}); err != nil {
			return err
		}
		if tid != outer || fsuid != int(id.UID) {
			t.Errorf("nested AsUser(id) ran on thread %d as fsuid %d, want thread %d as %d", tid, fsuid, outer, id.UID)
		}
		other := id
		other.Groups = append(slices.Clone(id.Groups), 0)
		if err := AsUser(other, func() error { tid = syscall.Gettid(); return nil }); err != nil {
			return err
		}
		if tid == outer {
			t.Error("AsUser with other groups ran on the switched thread")
		}
		done := make(chan bool)
		go func() { done <- RunningAs(id) }()
		if <-done {
			t.Error("a goroutine started inside AsUser reports RunningAs")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if RunningAs(id) {
		t.Error("RunningAs after AsUser returned")
	}
}
