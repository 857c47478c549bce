//go:build linux && cgo

package auth

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/daemon/store"
)

// run runs a system administration command, failing the test on error.
func run(t *testing.T, stdin string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdin = strings.NewReader(stdin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// addSystemUser creates a throw-away system account (no home, no shell),
// removed when the test ends. password "" makes it password-less.
func addSystemUser(t *testing.T, name, password string) *user.User {
	t.Helper()
	run(t, "", "useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name)
	t.Cleanup(func() {
		if out, err := exec.Command("userdel", name).CombinedOutput(); err != nil {
			t.Errorf("userdel %s: %v\n%s", name, err, out)
		}
	})
	if password == "" {
		run(t, "", "usermod", "--password", "", name)
	} else {
		run(t, name+":"+password+"\n", "chpasswd")
	}
	u, err := user.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestRealPAM authenticates throw-away system accounts through the real PAM
// stack, with a service file New creates.
func TestRealPAM(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: creates system accounts and /etc/pam.d/<service>")
	}
	for _, tool := range []string{"useradd", "usermod", "userdel", "chpasswd"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s (package passwd) to create test accounts", tool)
		}
	}
	suffix := strconv.Itoa(os.Getpid() % 1000000)
	service := "jetstream-test-" + suffix
	servicePath := filepath.Join("/etc/pam.d", service)
	if _, err := os.Stat(servicePath); err == nil {
		t.Fatalf("%s exists already", servicePath)
	}
	t.Cleanup(func() { os.Remove(servicePath) })
	name, nopw := "jstest"+suffix, "jsnopw"+suffix
	u := addSystemUser(t, name, "Sys-Pa55word")
	addSystemUser(t, nopw, "")

	var logs []string
	newAuth := func(cfg Config) *Authenticator {
		cfg.PAMService = service
		cfg.StateDir = filepath.Join(t.TempDir(), "state")
		cfg.Logf = func(f string, args ...any) { logs = append(logs, fmt.Sprintf(f, args...)) }
		a, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		a.sleep = func(ctx context.Context, d time.Duration) error { return ctx.Err() } // our delay is tested elsewhere
		return a
	}
	a := newAuth(Config{})
	b, err := os.ReadFile(servicePath)
	if err != nil {
		t.Fatalf("New did not create %s: %v (log %q)", servicePath, err, logs)
	}
	if _, err := os.Stat("/etc/pam.d/common-auth"); err == nil && !strings.Contains(string(b), "@include common-auth") {
		t.Errorf("%s on a Debian-style system: %q", servicePath, b)
	}
	if !strings.Contains(strings.Join(logs, "\n"), "created PAM service "+servicePath) {
		t.Errorf("creation not logged: %q", logs)
	}

	ctx := context.Background()
	p, err := a.Authenticate(ctx, name, "Sys-Pa55word", "127.0.0.1:40000")
	if err != nil {
		t.Fatalf("right password: %v (log %q)", err, logs)
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	if p.Name != name || p.UID != uint32(uid) || p.GID != uint32(gid) || !p.SystemAccount || p.Backend != BackendPAM || p.SuperuserEligible {
		t.Errorf("principal %+v", p)
	}
	for _, c := range []struct{ user, pw string }{
		{name, "wrong-password"},
		{nopw, "anything"}, // password-less accounts cannot log in
		{"jsnosuchuser" + suffix, "x"},
	} {
		if _, err := a.Authenticate(ctx, c.user, c.pw, "127.0.0.1:40001"); err != ErrAuthFailed {
			t.Errorf("Authenticate(%s, %s) = %v, want ErrAuthFailed", c.user, c.pw, err)
		}
	}

	// Members of a --supergroup are eligible (the user's own group here);
	// the existing service file is left alone.
	logs = nil
	a2 := newAuth(Config{Supergroups: []string{name}})
	if !strings.Contains(strings.Join(logs, "\n"), "PAM service "+servicePath+" exists") {
		t.Errorf("second New: %q", logs)
	}
	if p, err := a2.Authenticate(ctx, name, "Sys-Pa55word", "127.0.0.1:40002"); err != nil || !p.SuperuserEligible {
		t.Errorf("supergroup member: %+v %v", p, err)
	}

	// A built-in account of the same name takes precedence over PAM and
	// gets the system account's identity.
	if err := store.AddAccount(a2.cfg.StateDir, name, "Builtin-pw", false); err != nil {
		t.Fatal(err)
	}
	if _, err := a2.Authenticate(ctx, name, "Sys-Pa55word", "127.0.0.1:40003"); err != ErrAuthFailed {
		t.Errorf("system password for a name with a built-in account: %v", err)
	}
	p, err = a2.Authenticate(ctx, name, "Builtin-pw", "127.0.0.1:40003")
	if err != nil || p.Backend != BackendBuiltin || p.SystemAccount || p.UID != uint32(uid) {
		t.Errorf("built-in shadowing a system account: %+v %v", p, err)
	}
	for _, l := range logs {
		if strings.Contains(l, "Pa55word") || strings.Contains(l, "Builtin-pw") {
			t.Errorf("password in log: %q", l)
		}
	}
}

const unprivHelperEnv = "JETSTREAM_AUTH_UNPRIV_HELPER"

// TestUnprivilegedHelper runs inside TestUnprivilegedServerOwnUserOnly as
// the test account: it authenticates through the real PAM stack as a server
// not running as root would, and prints one line per attempt.
func TestUnprivilegedHelper(t *testing.T) {
	spec := os.Getenv(unprivHelperEnv)
	if spec == "" {
		t.Skip("helper process for TestUnprivilegedServerOwnUserOnly")
	}
	// spec: service,own-user,own-password,other-user,other-password
	f := strings.Split(spec, ",")
	a, err := New(Config{PAMService: f[0], Logf: func(string, ...any) {}})
	if err != nil {
		fmt.Println("new:", err)
		os.Exit(3)
	}
	a.sleep = func(ctx context.Context, d time.Duration) error { return nil }
	for _, c := range [][2]string{{f[1], f[2]}, {f[1], "wrong"}, {f[3], f[4]}} {
		p, err := a.Authenticate(context.Background(), c[0], c[1], "127.0.0.1:1")
		fmt.Printf("%s:%s %s %v\n", c[0], c[1], p.Backend, err)
	}
	os.Exit(0)
}

// TestUnprivilegedServerOwnUserOnly checks the product rule that a server
// not running as root authenticates only its own user: a helper process
// running as a throw-away account logs in as itself through PAM's
// unix_chkpwd, and fails for another account with the right password.
func TestUnprivilegedServerOwnUserOnly(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: creates system accounts and switches to one")
	}
	for _, tool := range []string{"useradd", "usermod", "userdel", "chpasswd"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s (package passwd) to create test accounts", tool)
		}
	}
	suffix := strconv.Itoa(os.Getpid() % 1000000)
	service := "jetstream-test-u" + suffix
	servicePath := filepath.Join("/etc/pam.d", service)
	t.Cleanup(func() { os.Remove(servicePath) })
	if _, err := ensurePAMService("/etc/pam.d", service); err != nil {
		t.Skip(err)
	}
	own, other := "jsown"+suffix, "jsother"+suffix
	u := addSystemUser(t, own, "Own-pw-1")
	addSystemUser(t, other, "Other-pw-1")

	// The helper runs the test binary as the account: copy it somewhere
	// that account may execute it.
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} { // testing makes both 0700
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "auth.test")
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-test.run=^TestUnprivilegedHelper$", "-test.count=1")
	cmd.Dir = dir
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + dir, "TMPDIR=" + dir,
		unprivHelperEnv + "=" + strings.Join([]string{service, own, "Own-pw-1", other, "Other-pw-1"}, ",")}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	for _, want := range []string{
		own + ":Own-pw-1 owner <nil>",
		own + ":wrong  " + ErrAuthFailed.Error(),
		other + ":Other-pw-1  " + ErrAuthFailed.Error(),
	} {
		if !strings.Contains(string(out), want+"\n") {
			t.Errorf("helper output lacks %q:\n%s", want, out)
		}
	}
}
