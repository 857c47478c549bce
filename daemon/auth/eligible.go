package auth

import "slices"

// eligibility is what decides superuser eligibility for one login.
type eligibility struct {
	Name             string   // the authenticated user name
	Owner            string   // the user running the daemon
	Superusers       []string // --superuser names
	SupergroupGIDs   []uint32 // --supergroup groups, resolved
	Groups           []uint32 // the principal's primary and supplementary groups
	BuiltinSuperuser bool     // built-in account added with --superuser
}

// eligible applies the rules: the process owner by name, --superuser names,
// members of --supergroup groups, built-in accounts flagged superuser.
func eligible(e eligibility) bool {
	if e.BuiltinSuperuser || e.Name == e.Owner || slices.Contains(e.Superusers, e.Name) {
		return true
	}
	for _, g := range e.Groups {
		if slices.Contains(e.SupergroupGIDs, g) {
			return true
		}
	}
	return false
}
