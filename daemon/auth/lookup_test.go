package auth

import (
	"strings"
	"testing"

	"github.com/jetstream-go/jetstream/daemon/store"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		name    string
		root    bool
		user    string
		wantUID uint32
		backend string
		wantErr string
	}{
		{name: "built-in account first", root: true, user: "carol", wantUID: 65534, backend: BackendBuiltin},
		{name: "built-in superuser is not eligible", root: true, user: "admin", wantUID: 65534, backend: BackendBuiltin},
		{name: "system account as root", root: true, user: "alice", wantUID: 1001, backend: BackendPAM},
		{name: "unknown account", root: true, user: "zed", wantErr: "no account"},
		{name: "not root: other system user", root: false, user: "alice", wantErr: "not running as root"},
		{name: "not root: own user", root: false, user: "svc", wantUID: 900, backend: BackendOwner},
		{name: "empty name", root: true, user: "", wantErr: "invalid account name"},
		{name: "overlong name", root: true, user: strings.Repeat("x", maxUserLen+1), wantErr: "invalid account name"},
		{name: "lookup failure", root: true, user: "broken", wantErr: "no account"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.root, Config{Superusers: []string{"alice", "carol"}})
			h.list = func(string) ([]store.Account, error) {
				return []store.Account{{Name: "carol"}, {Name: "admin", Superuser: true}}, nil
			}
			p, err := h.Lookup(tc.user)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Lookup(%q) = %+v, %v; want error containing %q", tc.user, p, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Lookup(%q): %v", tc.user, err)
			}
			if p.Name != tc.user || p.UID != tc.wantUID || p.Backend != tc.backend || p.SuperuserEligible {
				t.Fatalf("Lookup(%q) = %+v; want uid %d backend %s, not superuser eligible", tc.user, p, tc.wantUID, tc.backend)
			}
		})
	}
}
