package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/daemon/store"
)

// fakeTTY stands in for a terminal standard input: each ReadPassword call
// returns the next entry.
type fakeTTY struct {
	entries []string
	calls   int
}

func (f *fakeTTY) Read([]byte) (int, error) { return 0, errors.New("fakeTTY: plain read") }

func (f *fakeTTY) ReadPassword() ([]byte, error) {
	if f.calls >= len(f.entries) {
		return nil, errors.New("fakeTTY: no more input")
	}
	f.calls++
	return []byte(f.entries[f.calls-1]), nil
}

// userEnv makes a runEnv whose standard input is a string or a reader.
func userEnv(stdin any) (*runEnv, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	in, ok := stdin.(io.Reader)
	if !ok {
		in = strings.NewReader(stdin.(string))
	}
	return &runEnv{Ctx: context.Background(), Stdin: in, Stdout: &out, Stderr: &errb}, &out, &errb
}

func dirFlags(dir string) userDirFlags { return userDirFlags{PersistentStateDir: dir} }

func exitCode(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if err != nil {
		return exitFailed
	}
	return exitOK
}

func TestUserCommands(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	// A running server holds state.db; the account commands still work.
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	env, out, _ := userEnv("alice-pw\n")
	add := &userAddCmd{Name: "alice", Superuser: true, userDirFlags: dirFlags(dir), userPasswordFlags: userPasswordFlags{PasswordStdin: true}}
	if err := add.Run(env); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Added built-in superuser-eligible account alice") || strings.Contains(out.String(), "alice-pw") {
		t.Errorf("add printed %q", out.String())
	}
	env, _, _ = userEnv("bob-pw\r\n")
	if err := (&userAddCmd{Name: "bob", userDirFlags: dirFlags(dir), userPasswordFlags: userPasswordFlags{true}}).Run(env); err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.VerifyAccount(dir, "bob", "bob-pw"); err != nil {
		t.Errorf("CRLF not stripped: %v", err)
	}

	env, out, _ = userEnv("")
	if err := (&userListCmd{userDirFlags: dirFlags(dir)}).Run(env); err != nil {
		t.Fatal(err)
	}
	table := regexp.MustCompile(`^NAME +SUPERUSER +CREATED\nalice +yes +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\nbob +no +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$`)
	if !table.MatchString(out.String()) {
		t.Errorf("list table:\n%s", out.String())
	}
	env, out, _ = userEnv("")
	if err := (&userListCmd{JSON: true, userDirFlags: dirFlags(dir)}).Run(env); err != nil {
		t.Fatal(err)
	}
	var list []accountJSON
	if err := json.Unmarshal(out.Bytes(), &list); err != nil || len(list) != 2 || list[0] != (accountJSON{"alice", true, list[0].Created}) || list[1].Name != "bob" {
		t.Errorf("list --json: %s (%v)", out.String(), err)
	}
	if d := time.Since(time.UnixMicro(list[0].Created)); d < 0 || d > time.Hour {
		t.Errorf("created %d is not a recent Unix µs time", list[0].Created)
	}
	env, out, _ = userEnv("")
	if err := (&userListCmd{Name: "bob", JSON: true, userDirFlags: dirFlags(dir)}).Run(env); err != nil || !strings.Contains(out.String(), `"name": "bob"`) || strings.Contains(out.String(), "alice") {
		t.Errorf("list bob: %q %v", out.String(), err)
	}

	env, _, _ = userEnv("new-pw\n")
	if err := (&userPasswdCmd{Name: "bob", userDirFlags: dirFlags(dir), userPasswordFlags: userPasswordFlags{true}}).Run(env); err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.VerifyAccount(dir, "bob", "new-pw"); err != nil {
		t.Errorf("after passwd: %v", err)
	}
	env, out, _ = userEnv("")
	if err := (&userDelCmd{Name: "bob", userDirFlags: dirFlags(dir)}).Run(env); err != nil || !strings.Contains(out.String(), "Deleted built-in account bob") {
		t.Fatalf("del: %q %v", out.String(), err)
	}
	if accts, _ := store.ListAccounts(dir); len(accts) != 1 {
		t.Errorf("after del: %+v", accts)
	}
	empty := filepath.Join(t.TempDir(), "empty")
	env, out, _ = userEnv("")
	if err := (&userListCmd{userDirFlags: dirFlags(empty)}).Run(env); err != nil || !strings.Contains(out.String(), "No built-in accounts") {
		t.Errorf("empty list: %q %v", out.String(), err)
	}
	env, out, _ = userEnv("")
	if err := (&userListCmd{JSON: true, userDirFlags: dirFlags(empty)}).Run(env); err != nil || strings.TrimSpace(out.String()) != "[]" {
		t.Errorf("empty list --json: %q %v", out.String(), err)
	}
}

func TestUserCommandErrors(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	if err := store.AddAccount(dir, "alice", "pw", false); err != nil {
		t.Fatal(err)
	}
	// A terminal with nothing to read: reading it fails with another error
	// than the one expected, so these cases prove no password was asked for.
	untouchedTTY := func() *fakeTTY { return &fakeTTY{} }
	tests := []struct {
		name  string
		run   func(env *runEnv) error
		stdin any
		want  string
		code  int
	}{
		{"add existing", (&userAddCmd{Name: "alice", userDirFlags: dirFlags(dir), userPasswordFlags: userPasswordFlags{true}}).Run, "pw\n", "already exists", exitFailed},
		{"add bad name before password", (&userAddCmd{Name: "Bad Name", userDirFlags: dirFlags(dir)}).Run, untouchedTTY(), "invalid account name", exitUsage},
		{"add root", (&userAddCmd{Name: "root", userDirFlags: dirFlags(dir)}).Run, untouchedTTY(), "reserved", exitUsage},
		{"add empty stdin", (&userAddCmd{Name: "bob", userDirFlags: dirFlags(dir), userPasswordFlags: userPasswordFlags{true}}).Run, "", "no password on standard input", exitUsage},
		{"add empty line", (&userAddCmd{Name: "bob", userDirFlags: dirFlags(dir), userPasswordFlags: userPasswordFlags{true}}).Run, "\nsecond\n", "no password on standard input", exitUsage},
		{"add huge line", (&userAddCmd{Name: "bob", userDirFlags: dirFlags(dir), userPasswordFlags: userPasswordFlags{true}}).Run, strings.Repeat("p", 5000), "longer than 4096", exitFailed},
		{"add not a terminal", (&userAddCmd{Name: "bob", userDirFlags: dirFlags(dir)}).Run, "pw\n", "pass --password-stdin", exitUsage},
		{"add mismatch", (&userAddCmd{Name: "bob", userDirFlags: dirFlags(dir)}).Run, &fakeTTY{entries: []string{"one", "two"}}, "do not match", exitUsage},
		{"add empty prompt", (&userAddCmd{Name: "bob", userDirFlags: dirFlags(dir)}).Run, &fakeTTY{entries: []string{""}}, "empty password", exitUsage},
		{"add tty error", (&userAddCmd{Name: "bob", userDirFlags: dirFlags(dir)}).Run, &fakeTTY{}, "read password", exitFailed},
		{"passwd unknown before password", (&userPasswdCmd{Name: "bob", userDirFlags: dirFlags(dir)}).Run, untouchedTTY(), "no such built-in account", exitFailed},
		{"del unknown", (&userDelCmd{Name: "bob", userDirFlags: dirFlags(dir)}).Run, "", "no such built-in account", exitFailed},
		{"list unknown", (&userListCmd{Name: "bob", userDirFlags: dirFlags(dir)}).Run, "", "no such built-in account", exitFailed},
		{"bad config file", (&userListCmd{userDirFlags: userDirFlags{Config: filepath.Join(dir, "nope.toml")}}).Run, "", "nope.toml", exitUsage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env, _, _ := userEnv(tc.stdin)
			err := tc.run(env)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
			if got := exitCode(err); got != tc.code {
				t.Errorf("exit code %d, want %d", got, tc.code)
			}
		})
	}
	if accts, _ := store.ListAccounts(dir); len(accts) != 1 {
		t.Errorf("failed commands changed the accounts: %+v", accts)
	}
}

func TestUserAddPrompt(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	tty := &fakeTTY{entries: []string{"s3cret", "s3cret"}}
	env, out, errb := userEnv(tty)
	if err := (&userAddCmd{Name: "carol", userDirFlags: dirFlags(dir)}).Run(env); err != nil {
		t.Fatal(err)
	}
	if tty.calls != 2 {
		t.Errorf("password read %d times, want 2 (with confirmation)", tty.calls)
	}
	if want := "New password for carol: \nRetype the new password: \n"; errb.String() != want {
		t.Errorf("prompts %q, want %q", errb.String(), want)
	}
	if strings.Contains(out.String()+errb.String(), "s3cret") {
		t.Error("password echoed")
	}
	if _, _, err := store.VerifyAccount(dir, "carol", "s3cret"); err != nil {
		t.Errorf("verify: %v", err)
	}
}

func TestUserStateDir(t *testing.T) {
	tmp := t.TempDir()
	withKey := filepath.Join(tmp, "with.toml")
	withoutKey := filepath.Join(tmp, "without.toml")
	if err := os.WriteFile(withKey, []byte("persistent-state-dir = \"/srv/js/state\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(withoutKey, []byte("api-port = 9000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		flags userDirFlags
		want  string
	}{
		{"flag wins", userDirFlags{PersistentStateDir: "/flag", Config: withKey}, "/flag"},
		{"config file", userDirFlags{Config: withKey}, "/srv/js/state"},
		{"default", userDirFlags{Config: withoutKey}, defaultStateDir()},
	} {
		got, err := tc.flags.stateDir()
		if err != nil || got != tc.want {
			t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	if defaultStateDir() == "" {
		t.Error("no default state dir on this machine")
	}
}

// TestUserThroughCLI runs the commands through the kong model (flags, env).
func TestUserThroughCLI(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	t.Setenv("JETSTREAM_PERSISTENT_STATE_DIR", dir)
	var out, errb bytes.Buffer
	if code := run([]string{"user", "add", "dave", "--superuser", "--password-stdin"}, strings.NewReader("pw\n"), &out, &errb); code != 0 {
		t.Fatalf("user add: exit %d: %s", code, errb.String())
	}
	out.Reset()
	if code := run([]string{"user", "list", "--json"}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("user list: exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), `"name": "dave"`) || !strings.Contains(out.String(), `"superuser": true`) {
		t.Errorf("list: %s", out.String())
	}
	other := filepath.Join(t.TempDir(), "other")
	errb.Reset()
	if code := run([]string{"user", "del", "dave", "--persistent-state-dir", other}, strings.NewReader(""), &out, &errb); code != exitFailed || !strings.Contains(errb.String(), "no such built-in account") {
		t.Errorf("del in another dir: exit %d: %s", code, errb.String())
	}
	errb.Reset()
	if code := run([]string{"user", "add", "Dave", "--password-stdin"}, strings.NewReader("pw\n"), &out, &errb); code != exitUsage {
		t.Errorf("bad name: exit %d: %s", code, errb.String())
	}
}
