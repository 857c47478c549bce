package auth

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/jetstream-go/jetstream/daemon/store"
)

// Limits on what a login may send.
const (
	maxUserLen     = 256
	maxPasswordLen = 1024
)

// failure is why a login failed; it goes to the log, never to the client.
type failure struct{ reason string }

func (f *failure) Error() string { return f.reason }

func fail(format string, args ...any) error { return &failure{fmt.Sprintf(format, args...)} }

// Authenticate checks user and password for a client at remote (host:port
// or host). It returns ErrAuthFailed for every kind of failure, after a
// delay that grows with consecutive failures of this user from this host;
// ctx cancels the waiting (the error then also wraps ctx.Err()).
func (a *Authenticator) Authenticate(ctx context.Context, user, password, remote string) (Principal, error) {
	key := throttleKey(user, remote)
	a.mu.Lock()
	wait := a.thr.reserve(key, a.now())
	a.mu.Unlock()
	if err := a.sleep(ctx, wait); err != nil {
		return Principal{}, fmt.Errorf("%w (%w)", ErrAuthFailed, err)
	}
	p, err := a.check(ctx, user, password, remote)
	if err == nil {
		a.mu.Lock()
		a.thr.succeed(key)
		a.mu.Unlock()
		a.logf("auth: user %q authenticated from %s (%s)", p.Name, remote, p.Backend)
		return p, nil
	}
	a.logf("authentication failed for user %q from %s: %v", user, remote, err)
	a.mu.Lock()
	delay := a.thr.fail(key, a.now())
	a.mu.Unlock()
	if err := a.sleep(ctx, delay); err != nil {
		return Principal{}, fmt.Errorf("%w (%w)", ErrAuthFailed, err)
	}
	return Principal{}, ErrAuthFailed
}

// check runs the backends; its error says why (for the log only).
func (a *Authenticator) check(ctx context.Context, user, password, remote string) (Principal, error) {
	if err := checkInput(user, password); err != nil {
		return Principal{}, err
	}
	if a.cfg.StateDir != "" {
		acct, found, err := a.verifyBuiltin(ctx, user, password)
		switch {
		case found && errors.Is(err, store.ErrWrongPassword):
			return Principal{}, fail("wrong password for built-in account")
		case err != nil:
			return Principal{}, fail("built-in accounts: %v", err)
		case found:
			return a.builtinPrincipal(acct)
		}
	}
	if !pamBuiltIn {
		return Principal{}, fail("no built-in account of that name, and PAM is not built in")
	}
	if !a.root && user != a.owner.Name {
		return Principal{}, fail("no built-in account of that name, and a server not running as root authenticates only its own user %q", a.owner.Name)
	}
	name, err := a.runPAM(ctx, user, password, remote)
	if err != nil {
		return Principal{}, fail("%v", err)
	}
	return a.systemPrincipal(name)
}

func checkInput(user, password string) error {
	switch {
	case user == "":
		return fail("empty user name")
	case len(user) > maxUserLen:
		return fail("user name longer than %d bytes", maxUserLen)
	case password == "":
		return fail("empty password")
	case len(password) > maxPasswordLen:
		return fail("password longer than %d bytes", maxPasswordLen)
	}
	for _, c := range []byte(user) {
		if c < 0x20 || c == 0x7f {
			return fail("control character in user name")
		}
	}
	for _, c := range []byte(password) {
		if c == 0 {
			return fail("NUL in password")
		}
	}
	return nil
}

// verifyBuiltin checks the built-in accounts within the hashing bound.
func (a *Authenticator) verifyBuiltin(ctx context.Context, user, password string) (store.Account, bool, error) {
	select {
	case a.hashSlots <- struct{}{}:
	case <-ctx.Done():
		return store.Account{}, false, ctx.Err()
	}
	defer func() { <-a.hashSlots }()
	return a.builtin(a.cfg.StateDir, user, password)
}

// runPAM runs one PAM transaction; cancelling ctx abandons the wait (the
// transaction itself cannot be interrupted and finishes in the background,
// still holding its slot).
func (a *Authenticator) runPAM(ctx context.Context, user, password, remote string) (string, error) {
	select {
	case a.pamSlots <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	rhost := remote
	if host, _, err := net.SplitHostPort(remote); err == nil {
		rhost = host
	}
	type result struct {
		name string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		defer func() { <-a.pamSlots }()
		name, err := a.pam(a.cfg.PAMService, user, password, rhost)
		done <- result{name, err}
	}()
	select {
	case r := <-done:
		return r.name, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
