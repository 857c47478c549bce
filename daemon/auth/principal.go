package auth

import "github.com/jetstream-go/jetstream/daemon/store"

// builtinPrincipal gives a built-in account the identity of the system user
// of the same name when there is one (never uid 0); otherwise "nobody" when
// the daemon runs as root, or the daemon's own identity when it does not.
func (a *Authenticator) builtinPrincipal(acct store.Account) (Principal, error) {
	id, found, err := a.users.lookupUser(acct.Name)
	if err != nil {
		return Principal{}, fail("identity of %q: %v", acct.Name, err)
	}
	if found && id.UID == 0 {
		a.logf("auth: built-in account %q matches a system account with uid 0; it gets nobody's identity instead", acct.Name)
		found = false
	}
	groups := id.Groups
	if !found {
		groups = nil
		if a.root {
			id = a.nobody()
		} else {
			id = identity{UID: a.owner.UID, GID: a.owner.GID}
		}
	}
	return Principal{
		Name: acct.Name, UID: id.UID, GID: id.GID, Groups: id.Groups,
		SystemAccount:     false,
		SuperuserEligible: a.eligible(acct.Name, groups, acct.Superuser),
		Backend:           BackendBuiltin,
	}, nil
}

// systemPrincipal is a PAM-authenticated system account.
func (a *Authenticator) systemPrincipal(name string) (Principal, error) {
	id, found, err := a.users.lookupUser(name)
	if err != nil || !found {
		return Principal{}, fail("PAM accepted %q but the system has no such user (%v)", name, err)
	}
	backend := BackendPAM
	if !a.root {
		backend = BackendOwner
	}
	return Principal{
		Name: id.Name, UID: id.UID, GID: id.GID, Groups: id.Groups,
		SystemAccount:     true,
		SuperuserEligible: a.eligible(id.Name, id.Groups, false),
		Backend:           backend,
	}, nil
}

func (a *Authenticator) nobody() identity {
	id, found, err := a.users.lookupUser("nobody")
	if err != nil || !found || id.UID == 0 {
		return identity{Name: "nobody", UID: nobodyID, GID: nobodyID, Groups: []uint32{nobodyID}}
	}
	return id
}

// eligible resolves the supergroups now (group membership may change while
// the daemon runs) and applies the rules.
func (a *Authenticator) eligible(name string, groups []uint32, builtinSuper bool) bool {
	var gids []uint32
	if len(groups) > 0 {
		for _, g := range a.cfg.Supergroups {
			if gid, found, err := a.users.lookupGroup(g); err == nil && found {
				gids = append(gids, gid)
			}
		}
	}
	return eligible(eligibility{
		Name: name, Owner: a.owner.Name, Superusers: a.cfg.Superusers,
		SupergroupGIDs: gids, Groups: groups, BuiltinSuperuser: builtinSuper,
	})
}
