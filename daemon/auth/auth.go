package auth

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/jetstream-go/jetstream/daemon/store"
)

// ErrAuthFailed is the one error every failed login gets, whatever the
// cause: unknown user, wrong password, locked account, backend trouble.
var ErrAuthFailed = errors.New("authentication failed: wrong user name or password")

// Backends reported in Principal.Backend.
const (
	BackendBuiltin = "builtin" // a built-in account (users.db)
	BackendPAM     = "pam"     // a system account through PAM, daemon running as root
	BackendOwner   = "owner"   // the daemon's own user through PAM, daemon not root
)

// Config configures an Authenticator.
type Config struct {
	// StateDir holds users.db with the built-in accounts; "" = none.
	StateDir string
	// PAMService is the PAM service name; "" = "jetstream".
	PAMService string
	// Superusers and Supergroups (names or numeric GIDs) are superuser
	// eligible besides the process owner and built-in superusers.
	Superusers, Supergroups []string
	// Logf receives log lines; nil = the standard logger.
	Logf func(format string, args ...any)
}

// DefaultSupergroups are the product's default --supergroup groups (sudo on
// Debian/Ubuntu, wheel on Red Hat, admin on macOS); groups a system lacks
// are ignored.
func DefaultSupergroups() []string { return []string{"sudo", "wheel", "admin"} }

// Principal is an authenticated user.
type Principal struct {
	Name string
	// UID, GID and Groups are the system identity file operations run as.
	UID, GID uint32
	Groups   []uint32
	// SystemAccount is true for PAM logins, false for built-in accounts.
	SystemAccount bool
	// SuperuserEligible allows the session's superuser() call.
	SuperuserEligible bool
	// Backend is BackendBuiltin, BackendPAM or BackendOwner.
	Backend string
}

// Authenticator checks logins. It is safe for concurrent use.
type Authenticator struct {
	cfg     Config
	logf    func(format string, args ...any)
	owner   identity
	root    bool
	users   systemUsers
	pam     func(service, user, password, rhost string) (string, error)
	builtin func(dir, name, password string) (store.Account, bool, error)
	list    func(dir string) ([]store.Account, error) // nil = store.ListAccounts

	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error

	mu  sync.Mutex
	thr *throttle

	hashSlots chan struct{} // bounds concurrent password hashing (CPU, memory)
	pamSlots  chan struct{} // bounds concurrent PAM transactions
}

// maxPAM bounds concurrent PAM transactions (each may sleep in PAM's own
// failure delay, so this is larger than the hashing bound).
const maxPAM = 32

// New checks cfg and prepares an Authenticator. Running as root with PAM
// built in, it creates /etc/pam.d/<service> when missing (see
// ensurePAMService) and logs what it did.
func New(cfg Config) (*Authenticator, error) {
	a, err := newAuthenticator(cfg, osUsers{})
	if err != nil {
		return nil, err
	}
	a.logSetup("/etc/pam.d")
	return a, nil
}

func newAuthenticator(cfg Config, users systemUsers) (*Authenticator, error) {
	if cfg.PAMService == "" {
		cfg.PAMService = "jetstream"
	}
	if err := checkServiceName(cfg.PAMService); err != nil {
		return nil, err
	}
	for _, s := range cfg.Superusers {
		if s == "" {
			return nil, errors.New("auth: empty --superuser name")
		}
	}
	for _, g := range cfg.Supergroups {
		if g == "" {
			return nil, errors.New("auth: empty --supergroup name")
		}
	}
	owner, err := currentUser()
	if err != nil {
		return nil, err
	}
	logf := cfg.Logf
	if logf == nil {
		logf = log.Printf
	}
	return &Authenticator{
		cfg: cfg, logf: logf, owner: owner, root: os.Geteuid() == 0, users: users,
		pam: pamAuthenticate, builtin: store.VerifyAccount,
		now: time.Now, sleep: sleepCtx,
		thr:       newThrottle(),
		hashSlots: make(chan struct{}, max(2, runtime.GOMAXPROCS(0))),
		pamSlots:  make(chan struct{}, maxPAM),
	}, nil
}

// logSetup reports the login set-up and prepares the PAM service file.
func (a *Authenticator) logSetup(pamDir string) {
	switch {
	case !pamBuiltIn:
		a.logf("auth: PAM is not built in (needs cgo on Linux): only built-in accounts can log in")
	case a.root:
		msg, err := ensurePAMService(pamDir, a.cfg.PAMService)
		if err != nil {
			a.logf("%v", err)
		} else {
			a.logf("auth: %s", msg)
		}
	default:
		a.logf("auth: not running as root: of the system accounts only %q can log in", a.owner.Name)
	}
	for _, g := range a.cfg.Supergroups {
		if _, found, err := a.users.lookupGroup(g); err != nil || !found {
			a.logf("auth: supergroup %q does not exist here; ignored", g)
		}
	}
}

func checkServiceName(s string) error {
	if s == "." || s == ".." || strings.ContainsAny(s, "/\x00") || len(s) > 64 {
		return fmt.Errorf("auth: bad PAM service name %q", s)
	}
	return nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// throttleKey is (user, remote host): the port changes per connection.
func throttleKey(user, remote string) string {
	if host, _, err := net.SplitHostPort(remote); err == nil {
		remote = host
	}
	return user + "\x00" + remote
}
