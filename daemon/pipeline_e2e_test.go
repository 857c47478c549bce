package daemon_test

import (
	"context"
	"testing"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/daemon/daemontest"
)

// TestPipelinedLogin sends requests right behind a login without waiting
// for its answer (as jscp does): they must see the login's outcome.
func TestPipelinedLogin(t *testing.T) {
	d := daemontest.Start(t)
	d.AddUser("alice", "pw-alice-123", true)
	bg := context.Background()
	type step struct {
		method string
		params any
		code   api.ErrorCode // "" = success
	}
	auth := func(pw string) step {
		return step{"auth", map[string]string{"userName": "alice", "password": pw}, ""}
	}
	for _, tc := range []struct {
		name   string
		rounds int // a failed login's delay grows: one round
		steps  []step
	}{
		{"login then calls", 5, []step{auth("pw-alice-123"), {"echo", map[string]string{"text": "x"}, ""},
			{"getBandwidthLimits", nil, ""}}},
		{"login, superuser, superuser call", 5, []step{auth("pw-alice-123"), {"superuser", nil, ""},
			{"getGarbageCollectSettings", nil, ""}}},
		{"failed login", 1, []step{{"auth", map[string]string{"userName": "alice", "password": "wrong"}, api.CodeAuthFailed},
			{"echo", map[string]string{"text": "x"}, api.CodeAuthRequired}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for round := range tc.rounds { // several rounds: an unordered daemon loses some
				c := d.Dial()
				pend := make([]*client.Pending, len(tc.steps))
				for i, s := range tc.steps {
					pend[i] = c.Start(s.method, s.params)
				}
				for i, s := range tc.steps {
					err := pend[i].Wait(bg, nil)
					if got := api.CodeOf(err); (err == nil) != (s.code == "") || err != nil && got != s.code {
						t.Fatalf("round %d: %s: got %v (code %q), want code %q", round, s.method, err, got, s.code)
					}
				}
				c.Close()
			}
		})
	}
}
