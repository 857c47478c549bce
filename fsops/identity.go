package fsops

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"strconv"
	"strings"
)

// Identity is whose permissions file operations use (the logged-in user).
// The zero Identity is root (UID 0): fill it from [LookupIdentity] or
// [CurrentIdentity], never leave it empty for a user.
type Identity struct {
	UID, GID uint32
	Groups   []uint32 // supplementary groups (normally including GID)
	Name     string
}

// CurrentIdentity returns the identity of the running process (effective user
// and group, supplementary groups, and the user name when it can be found).
func CurrentIdentity() Identity {
	id := Identity{UID: clampID(os.Geteuid()), GID: clampID(os.Getegid())}
	if groups, err := os.Getgroups(); err == nil {
		for _, g := range groups {
			id.Groups = append(id.Groups, clampID(g))
		}
	}
	if u, err := user.LookupId(strconv.FormatUint(uint64(id.UID), 10)); err == nil {
		id.Name = u.Username
	}
	return id
}

// clampID maps an OS id to uint32; -1 (no such concept, e.g. on Windows) is 0.
func clampID(v int) uint32 {
	if v < 0 || uint64(v) > 0xFFFFFFFF {
		return 0
	}
	return uint32(v)
}

// LookupIdentity returns the identity of the named OS account (os/user
// based: /etc/passwd and /etc/group, or the C library's name service when
// built with cgo), including its supplementary groups.
func LookupIdentity(name string) (Identity, error) {
	if name == "" || strings.ContainsAny(name, "\x00/:") || len(name) > 256 {
		return Identity{}, fmt.Errorf("lookup identity: %q is not a valid user name", name)
	}
	u, err := user.Lookup(name)
	if err != nil {
		var unknown user.UnknownUserError
		if errors.As(err, &unknown) {
			return Identity{}, fmt.Errorf("lookup identity: no OS account named %q", name)
		}
		return Identity{}, fmt.Errorf("lookup identity %q: %w", name, err)
	}
	uid, err := parseID(u.Uid)
	if err != nil {
		return Identity{}, fmt.Errorf("lookup identity %q: uid: %w", name, err)
	}
	gid, err := parseID(u.Gid)
	if err != nil {
		return Identity{}, fmt.Errorf("lookup identity %q: gid: %w", name, err)
	}
	gids, err := u.GroupIds()
	if err != nil {
		return Identity{}, fmt.Errorf("lookup identity %q: groups: %w", name, err)
	}
	id := Identity{UID: uid, GID: gid, Name: u.Username}
	for _, g := range gids {
		v, err := parseID(g)
		if err != nil {
			return Identity{}, fmt.Errorf("lookup identity %q: group: %w", name, err)
		}
		id.Groups = append(id.Groups, v)
	}
	return id, nil
}

// parseID parses a numeric uid or gid. (uid_t)-1 is refused: it means "no
// change" to the kernel.
func parseID(s string) (uint32, error) {
	v, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("%q is not a numeric id", s)
	}
	if v == 0xFFFFFFFF {
		return 0, fmt.Errorf("%q is not a valid id", s)
	}
	return uint32(v), nil
}

// hasGroup reports whether gid is the identity's primary or supplementary group.
func (id Identity) hasGroup(gid uint32) bool {
	if id.GID == gid {
		return true
	}
	for _, g := range id.Groups {
		if g == gid {
			return true
		}
	}
	return false
}
