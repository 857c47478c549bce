package auth

import (
	"fmt"

	"github.com/jetstream-go/jetstream/daemon/store"
)

// Lookup resolves an account name to a Principal without a password, for a
// session that another credential vouches for (a sending server's key that
// a superuser authorised for this account). Built-in accounts come first,
// then system accounts — those only when the daemon runs as root or the
// name is the daemon's own user. The principal is never superuser
// eligible: a vouched-for session has no password behind it.
func (a *Authenticator) Lookup(name string) (Principal, error) {
	if name == "" || len(name) > maxUserLen {
		return Principal{}, fmt.Errorf("auth: invalid account name %q", name)
	}
	if a.cfg.StateDir != "" {
		accts, err := a.listBuiltin(a.cfg.StateDir)
		if err != nil {
			return Principal{}, fmt.Errorf("auth: built-in accounts: %w", err)
		}
		for _, acct := range accts {
			if acct.Name == name {
				p, err := a.builtinPrincipal(acct)
				p.SuperuserEligible = false
				return p, err
			}
		}
	}
	if !a.root && name != a.owner.Name {
		return Principal{}, fmt.Errorf("auth: no built-in account %q, and a server not running as root acts only as its own user %q", name, a.owner.Name)
	}
	p, err := a.systemPrincipal(name)
	if err != nil {
		return Principal{}, fmt.Errorf("auth: no account %q: %v", name, err)
	}
	p.SuperuserEligible = false
	return p, nil
}

// listBuiltin is store.ListAccounts unless a test replaced it.
func (a *Authenticator) listBuiltin(dir string) ([]store.Account, error) {
	if a.list != nil {
		return a.list(dir)
	}
	return store.ListAccounts(dir)
}
