package auth

import (
	"errors"
	"fmt"
	"os/user"
	"strconv"
)

// identity is a system account.
type identity struct {
	Name   string
	UID    uint32
	GID    uint32
	Groups []uint32 // primary first, then supplementary
}

// systemUsers looks up system accounts and groups (os/user in production,
// a table in tests).
type systemUsers interface {
	lookupUser(name string) (identity, bool, error)
	lookupGroup(nameOrGID string) (gid uint32, found bool, err error)
}

// osUsers uses os/user: NSS through cgo when built with it, /etc/passwd and
// /etc/group otherwise.
type osUsers struct{}

func (osUsers) lookupUser(name string) (identity, bool, error) {
	u, err := user.Lookup(name)
	var unknown user.UnknownUserError
	if errors.As(err, &unknown) {
		return identity{}, false, nil
	}
	if err != nil {
		return identity{}, false, err
	}
	return fromOSUser(u)
}

func fromOSUser(u *user.User) (identity, bool, error) {
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return identity{}, false, fmt.Errorf("user %q: non-numeric uid %q or gid %q", u.Username, u.Uid, u.Gid)
	}
	id := identity{Name: u.Username, UID: uint32(uid), GID: uint32(gid), Groups: []uint32{uint32(gid)}}
	gids, err := u.GroupIds()
	if err != nil {
		return identity{}, false, fmt.Errorf("groups of %q: %w", u.Username, err)
	}
	for _, g := range gids {
		n, err := strconv.ParseUint(g, 10, 32)
		if err != nil || uint32(n) == id.GID {
			continue
		}
		id.Groups = append(id.Groups, uint32(n))
	}
	return id, true, nil
}

func (osUsers) lookupGroup(nameOrGID string) (uint32, bool, error) {
	if n, err := strconv.ParseUint(nameOrGID, 10, 32); err == nil {
		return uint32(n), true, nil
	}
	g, err := user.LookupGroup(nameOrGID)
	var unknown user.UnknownGroupError
	if errors.As(err, &unknown) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	n, err := strconv.ParseUint(g.Gid, 10, 32)
	if err != nil {
		return 0, false, fmt.Errorf("group %q: non-numeric gid %q", nameOrGID, g.Gid)
	}
	return uint32(n), true, nil
}

// currentUser is the process owner.
func currentUser() (identity, error) {
	u, err := user.Current()
	if err != nil {
		return identity{}, fmt.Errorf("auth: who runs this process: %w", err)
	}
	id, _, err := fromOSUser(u)
	return id, err
}

// nobodyID is used when the system has no "nobody" entry.
const nobodyID = 65534
