package auth

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/daemon/store"
)

// fakeUsers is a table of system accounts and groups.
type fakeUsers struct {
	users  map[string]identity
	groups map[string]uint32
}

func (f fakeUsers) lookupUser(name string) (identity, bool, error) {
	if name == "broken" {
		return identity{}, false, errors.New("nss down")
	}
	id, ok := f.users[name]
	return id, ok, nil
}

func (f fakeUsers) lookupGroup(name string) (uint32, bool, error) {
	gid, ok := f.groups[name]
	return gid, ok, nil
}

var testUsers = fakeUsers{
	users: map[string]identity{
		"svc":    {Name: "svc", UID: 900, GID: 900, Groups: []uint32{900}},
		"alice":  {Name: "alice", UID: 1001, GID: 1001, Groups: []uint32{1001, 27}},
		"bob":    {Name: "bob", UID: 1002, GID: 1002, Groups: []uint32{1002}},
		"dave":   {Name: "dave", UID: 1004, GID: 1004, Groups: []uint32{1004}},
		"toor":   {Name: "toor", UID: 0, GID: 0, Groups: []uint32{0}},
		"nobody": {Name: "nobody", UID: 65534, GID: 65534, Groups: []uint32{65534}},
	},
	groups: map[string]uint32{"sudo": 27, "wheel": 10},
}

// harness is an Authenticator over a temp state dir with fake system users,
// a fake PAM that knows system passwords, a fake clock and a sleep that
// advances it.
type harness struct {
	*Authenticator
	dir      string
	clock    time.Time
	sleeps   []time.Duration
	logs     []string
	pamCalls []string
	pamPass  map[string]string
	accounts map[string]fakeAccount
	mu       sync.Mutex
}

// fakeAccount is a built-in account of the harness. The flow tests use
// these instead of users.db to keep argon2id out of the loop;
// TestBuiltinThroughRealStore covers the real database.
type fakeAccount struct {
	password string
	acct     store.Account
}

func newHarness(t *testing.T, root bool, cfg Config) *harness {
	t.Helper()
	h := &harness{dir: filepath.Join(t.TempDir(), "state"), clock: time.Unix(1_700_000_000, 0),
		pamPass:  map[string]string{"svc": "svc-pw", "alice": "alice-sys", "bob": "bob-sys", "toor": "toor-pw"},
		accounts: map[string]fakeAccount{}}
	cfg.StateDir = h.dir
	cfg.Logf = func(format string, args ...any) {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.logs = append(h.logs, fmt.Sprintf(format, args...))
	}
	a, err := newAuthenticator(cfg, testUsers)
	if err != nil {
		t.Fatal(err)
	}
	a.owner = testUsers.users["svc"]
	a.root = root
	a.now = func() time.Time { h.mu.Lock(); defer h.mu.Unlock(); return h.clock }
	a.sleep = func(ctx context.Context, d time.Duration) error {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.sleeps = append(h.sleeps, d)
		h.clock = h.clock.Add(d)
		return ctx.Err()
	}
	a.pam = func(service, user, password, rhost string) (string, error) {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.pamCalls = append(h.pamCalls, service+":"+user+"@"+rhost)
		if pw, ok := h.pamPass[user]; ok && pw == password {
			return user, nil
		}
		return "", errors.New("PAM authenticate: Authentication failure")
	}
	a.builtin = func(dir, name, password string) (store.Account, bool, error) {
		if dir != h.dir {
			t.Errorf("built-in accounts read from %s, want %s", dir, h.dir)
		}
		fa, ok := h.accounts[name]
		switch {
		case !ok:
			return store.Account{}, false, nil
		case fa.password != password:
			return store.Account{}, true, store.ErrWrongPassword
		}
		return fa.acct, true, nil
	}
	h.Authenticator = a
	return h
}

func (h *harness) add(t *testing.T, name, pw string, super bool) {
	t.Helper()
	h.accounts[name] = fakeAccount{pw, store.Account{Name: name, Superuser: super, Created: 1}}
}

func skipWithoutPAM(t *testing.T) {
	if !pamBuiltIn {
		t.Skip("PAM is not built in (CGO_ENABLED=0 or not Linux)")
	}
}

func TestAuthenticateBackends(t *testing.T) {
	skipWithoutPAM(t)
	tests := []struct {
		name     string
		root     bool
		user, pw string
		want     Principal // zero Name = failure
		pamCalls int
	}{
		{"builtin with system user", true, "alice", "alice-builtin",
			Principal{Name: "alice", UID: 1001, GID: 1001, Groups: []uint32{1001, 27}, SuperuserEligible: true, Backend: BackendBuiltin}, 0},
		{"builtin without system user, root: nobody", true, "carol", "carol-pw",
			Principal{Name: "carol", UID: 65534, GID: 65534, Groups: []uint32{65534}, SuperuserEligible: true, Backend: BackendBuiltin}, 0},
		{"builtin without system user, not root: owner's identity", false, "carol", "carol-pw",
			Principal{Name: "carol", UID: 900, GID: 900, SuperuserEligible: true, Backend: BackendBuiltin}, 0},
		{"builtin named like a uid-0 account gets nobody", true, "toor", "toor-builtin",
			Principal{Name: "toor", UID: 65534, GID: 65534, Groups: []uint32{65534}, Backend: BackendBuiltin}, 0},
		{"builtin wrong password does not fall through to PAM", true, "alice", "alice-sys", Principal{}, 0},
		{"pam as root", true, "bob", "bob-sys",
			Principal{Name: "bob", UID: 1002, GID: 1002, Groups: []uint32{1002}, SystemAccount: true, Backend: BackendPAM}, 1},
		{"pam wrong password", true, "bob", "nope", Principal{}, 1},
		{"pam owner as root", true, "svc", "svc-pw",
			Principal{Name: "svc", UID: 900, GID: 900, Groups: []uint32{900}, SystemAccount: true, SuperuserEligible: true, Backend: BackendPAM}, 1},
		{"not root: own user via PAM", false, "svc", "svc-pw",
			Principal{Name: "svc", UID: 900, GID: 900, Groups: []uint32{900}, SystemAccount: true, SuperuserEligible: true, Backend: BackendOwner}, 1},
		{"not root: other system users never reach PAM", false, "bob", "bob-sys", Principal{}, 0},
		{"unknown user", true, "mallory", "x", Principal{}, 1},
		{"empty password", true, "bob", "", Principal{}, 0},
		{"empty user", true, "", "x", Principal{}, 0},
		{"control character", true, "bob\n", "bob-sys", Principal{}, 0},
		{"long user", true, strings.Repeat("u", 300), "x", Principal{}, 0},
		{"long password", true, "bob", strings.Repeat("p", 2000), Principal{}, 0},
		{"NUL in password", true, "bob", "bob-sys\x00", Principal{}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.root, Config{Supergroups: []string{"sudo", "nosuchgroup"}})
			h.add(t, "alice", "alice-builtin", false)
			h.add(t, "carol", "carol-pw", true)
			h.add(t, "toor", "toor-builtin", false)
			p, err := h.Authenticate(context.Background(), tc.user, tc.pw, "192.0.2.1:4000")
			if tc.want.Name == "" {
				if err != ErrAuthFailed || !reflect.DeepEqual(p, Principal{}) {
					t.Errorf("got %+v, %v; want ErrAuthFailed", p, err)
				}
			} else if err != nil || !reflect.DeepEqual(p, tc.want) {
				t.Errorf("got %+v, %v\nwant %+v", p, err, tc.want)
			}
			if len(h.pamCalls) != tc.pamCalls {
				t.Errorf("PAM called %v, want %d calls", h.pamCalls, tc.pamCalls)
			}
			for _, l := range h.logs {
				if tc.pw != "" && strings.Contains(l, tc.pw) {
					t.Errorf("password in log line %q", l)
				}
			}
		})
	}
}

func TestBuiltinThroughRealStore(t *testing.T) {
	h := newHarness(t, true, Config{})
	h.builtin = store.VerifyAccount
	if err := store.AddAccount(h.dir, "carol", "carol-pw", true); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	p, err := h.Authenticate(ctx, "carol", "carol-pw", "h")
	if err != nil || p.Backend != BackendBuiltin || !p.SuperuserEligible || p.UID != nobodyID {
		t.Errorf("right password: %+v %v", p, err)
	}
	if _, err := h.Authenticate(ctx, "carol", "wrong", "h"); err != ErrAuthFailed {
		t.Errorf("wrong password: %v", err)
	}
	if pamBuiltIn {
		if p, err := h.Authenticate(ctx, "bob", "bob-sys", "h"); err != nil || p.Backend != BackendPAM {
			t.Errorf("no built-in account of that name, so PAM: %+v %v", p, err)
		}
	}
}

func TestAuthenticatePAMDetails(t *testing.T) {
	skipWithoutPAM(t)
	h := newHarness(t, true, Config{PAMService: "jetstream-custom"})
	if _, err := h.Authenticate(context.Background(), "bob", "bob-sys", "[2001:db8::1]:5000"); err != nil {
		t.Fatal(err)
	}
	if want := []string{"jetstream-custom:bob@2001:db8::1"}; !reflect.DeepEqual(h.pamCalls, want) {
		t.Errorf("PAM calls %v, want %v", h.pamCalls, want)
	}
	// PAM accepting a user that NSS does not know is still a failure.
	h.pamPass["ghost"] = "pw"
	if _, err := h.Authenticate(context.Background(), "ghost", "pw", "h"); err != ErrAuthFailed {
		t.Errorf("PAM user without identity: %v", err)
	}
	h.pamPass["broken"] = "pw"
	if _, err := h.Authenticate(context.Background(), "broken", "pw", "h"); err != ErrAuthFailed {
		t.Errorf("PAM user whose lookup fails: %v", err)
	}
}

func TestAuthenticateWithoutStateDir(t *testing.T) {
	skipWithoutPAM(t)
	h := newHarness(t, true, Config{})
	h.cfg.StateDir = ""
	h.builtin = func(string, string, string) (store.Account, bool, error) {
		t.Error("built-in accounts consulted without a state dir")
		return store.Account{}, false, nil
	}
	if p, err := h.Authenticate(context.Background(), "bob", "bob-sys", "h"); err != nil || p.Backend != BackendPAM {
		t.Errorf("got %+v %v", p, err)
	}
}

func TestBuiltinBackendErrorFails(t *testing.T) {
	h := newHarness(t, true, Config{})
	h.builtin = func(string, string, string) (store.Account, bool, error) {
		return store.Account{}, false, fmt.Errorf("%w: users.db stayed locked", store.ErrBusy)
	}
	if _, err := h.Authenticate(context.Background(), "bob", "bob-sys", "h"); err != ErrAuthFailed {
		t.Errorf("got %v, want ErrAuthFailed", err)
	}
	if len(h.pamCalls) != 0 {
		t.Errorf("PAM tried although the account database failed: %v", h.pamCalls)
	}
	if !strings.Contains(strings.Join(h.logs, "\n"), "stayed locked") {
		t.Errorf("cause not logged: %q", h.logs)
	}
}

func TestFailureDelayGrowsAndResets(t *testing.T) {
	h := newHarness(t, true, Config{})
	h.add(t, "carol", "right", false)
	ctx := context.Background()
	for range 6 {
		if _, err := h.Authenticate(ctx, "carol", "wrong", "192.0.2.7:1111"); err != ErrAuthFailed {
			t.Fatal(err)
		}
	}
	want := []time.Duration{0, 500 * time.Millisecond, 0, time.Second, 0, 2 * time.Second, 0, 4 * time.Second, 0, 8 * time.Second, 0, 8 * time.Second}
	if !reflect.DeepEqual(h.sleeps, want) {
		t.Errorf("sleeps %v\nwant   %v", h.sleeps, want)
	}
	// Another port of the same host shares the key; another host does not.
	h.sleeps = nil
	h.Authenticate(ctx, "carol", "wrong", "192.0.2.8:1111")
	h.Authenticate(ctx, "carol", "wrong", "192.0.2.7:2222")
	if want := []time.Duration{0, 500 * time.Millisecond, 0, 8 * time.Second}; !reflect.DeepEqual(h.sleeps, want) {
		t.Errorf("other host/port sleeps %v, want %v", h.sleeps, want)
	}
	// Success resets the delay.
	h.sleeps = nil
	if _, err := h.Authenticate(ctx, "carol", "right", "192.0.2.7:3333"); err != nil {
		t.Fatal(err)
	}
	h.Authenticate(ctx, "carol", "wrong", "192.0.2.7:3333")
	if want := []time.Duration{0, 0, 500 * time.Millisecond}; !reflect.DeepEqual(h.sleeps, want) {
		t.Errorf("after success sleeps %v, want %v", h.sleeps, want)
	}
	var failed int
	for _, l := range h.logs {
		if strings.HasPrefix(l, `authentication failed for user "carol" from 192.0.2.7:1111`) {
			failed++
		}
		if strings.Contains(l, "wrong") && !strings.Contains(l, "wrong password for built-in account") {
			t.Errorf("log line may contain the password: %q", l)
		}
	}
	if failed != 6 {
		t.Errorf("%d failure log lines, want 6: %q", failed, h.logs)
	}
}

func TestEveryFailureLooksTheSame(t *testing.T) {
	h := newHarness(t, false, Config{})
	h.add(t, "carol", "right", false)
	seen := map[string]bool{}
	for _, c := range [][2]string{{"carol", "wrong"}, {"nosuch", "x"}, {"bob", "bob-sys"}, {"", ""}, {"svc", "bad"}} {
		_, err := h.Authenticate(context.Background(), c[0], c[1], "h")
		if err == nil {
			t.Fatalf("%v authenticated", c)
		}
		seen[err.Error()] = true
	}
	if len(seen) != 1 || !seen[ErrAuthFailed.Error()] {
		t.Errorf("distinct failure messages: %v", seen)
	}
}

func TestFailureDelayIsCancellable(t *testing.T) {
	h := newHarness(t, true, Config{})
	h.add(t, "carol", "right", false)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var delays []time.Duration
	// The real sleep, with the client going away as soon as a delay starts:
	// it must return at once with the context's error, not after d.
	h.sleep = func(ctx context.Context, d time.Duration) error {
		if d > 0 {
			delays = append(delays, d)
			cancel()
		}
		return sleepCtx(ctx, d)
	}
	_, err := h.Authenticate(ctx, "carol", "wrong", "h")
	if !errors.Is(err, ErrAuthFailed) || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled during the delay: %v, want ErrAuthFailed and context.Canceled", err)
	}
	if !reflect.DeepEqual(delays, []time.Duration{baseDelay}) {
		t.Errorf("delays %v", delays)
	}
	// With a delay pending, a cancelled client does not get to try at all.
	if _, err := h.Authenticate(ctx, "carol", "right", "h"); !errors.Is(err, ErrAuthFailed) || !errors.Is(err, context.Canceled) {
		t.Errorf("right password with pending delay and cancelled ctx: %v", err)
	}
}

func TestSleepCtx(t *testing.T) {
	if err := sleepCtx(context.Background(), 0); err != nil {
		t.Errorf("zero sleep: %v", err)
	}
	if err := sleepCtx(context.Background(), time.Microsecond); err != nil {
		t.Errorf("short sleep: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := sleepCtx(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled hour-long sleep: %v", err)
	}
}

func TestNewChecksConfig(t *testing.T) {
	for _, cfg := range []Config{{PAMService: "../x"}, {Superusers: []string{""}}, {Supergroups: []string{""}}} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
	a, err := newAuthenticator(Config{Logf: func(string, ...any) {}}, testUsers)
	if err != nil || a.cfg.PAMService != "jetstream" {
		t.Errorf("default service: %+v %v", a, err)
	}
}

func TestLogSetup(t *testing.T) {
	var logs []string
	a, err := newAuthenticator(Config{Supergroups: []string{"sudo", "nosuchgroup"}, Logf: func(f string, args ...any) {
		logs = append(logs, fmt.Sprintf(f, args...))
	}}, testUsers)
	if err != nil {
		t.Fatal(err)
	}
	a.root, a.owner = false, testUsers.users["svc"]
	a.logSetup(t.TempDir())
	text := strings.Join(logs, "\n")
	if !strings.Contains(text, `supergroup "nosuchgroup" does not exist`) || strings.Contains(text, `"sudo" does not`) {
		t.Errorf("supergroup logs: %q", text)
	}
	if pamBuiltIn && !strings.Contains(text, `only "svc" can log in`) {
		t.Errorf("non-root log: %q", text)
	}
	// As root, the service file is created in the given directory.
	logs = nil
	dir := t.TempDir()
	if err := writeFile(filepath.Join(dir, "common-auth"), "# x\n"); err != nil {
		t.Fatal(err)
	}
	a.root = true
	a.logSetup(dir)
	if pamBuiltIn && !strings.Contains(strings.Join(logs, "\n"), "created PAM service "+filepath.Join(dir, "jetstream")) {
		t.Errorf("root logs: %q", logs)
	}
}
