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
