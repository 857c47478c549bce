package auth

import "testing"

func TestEligible(t *testing.T) {
	tests := []struct {
		name string
		in   eligibility
		want bool
	}{
		{"process owner", eligibility{Name: "svc", Owner: "svc"}, true},
		{"other user", eligibility{Name: "bob", Owner: "svc"}, false},
		{"--superuser", eligibility{Name: "bob", Owner: "svc", Superusers: []string{"alice", "bob"}}, true},
		{"--superuser other", eligibility{Name: "bob", Owner: "svc", Superusers: []string{"alice"}}, false},
		{"supergroup primary", eligibility{Name: "bob", Owner: "svc", SupergroupGIDs: []uint32{27}, Groups: []uint32{27}}, true},
		{"supergroup supplementary", eligibility{Name: "bob", Owner: "svc", SupergroupGIDs: []uint32{10, 27}, Groups: []uint32{100, 27}}, true},
		{"not in supergroup", eligibility{Name: "bob", Owner: "svc", SupergroupGIDs: []uint32{27}, Groups: []uint32{100, 4}}, false},
		{"no supergroups", eligibility{Name: "bob", Owner: "svc", Groups: []uint32{27}}, false},
		{"built-in superuser", eligibility{Name: "carol", Owner: "svc", BuiltinSuperuser: true}, true},
		{"built-in superuser, other owner", eligibility{Name: "carol", Owner: "root", BuiltinSuperuser: true}, true},
		{"case matters", eligibility{Name: "Bob", Owner: "svc", Superusers: []string{"bob"}}, false},
		{"empty name is not the owner", eligibility{Name: "", Owner: "svc"}, false},
	}
	for _, tc := range tests {
		if got := eligible(tc.in); got != tc.want {
			t.Errorf("%s: eligible = %v, want %v", tc.name, got, tc.want)
		}
	}
}
