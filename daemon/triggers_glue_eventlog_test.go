package daemon_test

import (
	"slices"
	"testing"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/daemon/daemontest"
)

// TestEventLogFilters (#7 point 4): getEventLog's eventName, before, after
// and limit filters, alone and combined, for a superuser (every event) and
// a plain user (only the events she owns), against the full log filtered
// by the documented rules: oldest first, before/after strict, limit keeps
// the newest entries.
func TestEventLogFilters(t *testing.T) {
	src := sourceTree(t, "one.txt")
	d := daemontest.Start(t)
	d.AddUser("admin", "pw-admin-1", true)
	d.AddUser("alice", "pw-alice-1", false)
	if err := d.Dial().Auth(bg, "alice", "wrong-password"); err == nil {
		t.Fatal("wrong password accepted")
	}
	alice := d.Login("alice", "pw-alice-1")
	var manifests []string
	for range 3 {
		var m api.Manifest
		if err := alice.Call(bg, "send.createManifest", map[string]any{"fileMappings": []string{src + "/data:/in"}}, &m); err != nil {
			t.Fatal(err)
		}
		manifests = append(manifests, m.ManifestID)
	}
	su := d.Superuser("admin", "pw-admin-1")
	if err := su.Call(bg, "setSandboxMapping", map[string]any{"userName": "nobody-here", "sandboxRoots": map[string]string{"": "/srv/%u"}}, nil); err != nil {
		t.Fatal(err)
	}
	all, err := su.EventLog(bg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 8 {
		t.Fatalf("only %d events: %+v", len(all), all)
	}
	if !slices.IsSortedFunc(all, func(a, b api.Event) int { return int(a.Seq) - int(b.Seq) }) {
		t.Fatalf("log is not oldest first: %+v", all)
	}
	isAlices := func(e api.Event) bool {
		return (e.Name == "authSucceeded" && e.Fields["userName"] == "alice") ||
			(e.Name == "manifestCreated" && slices.Contains(manifests, e.Fields["manifestId"].(string)))
	}
	mid := all[len(all)/2].Timestamp
	tests := []struct {
		name   string
		params map[string]any
		keep   func(api.Event) bool // nil = every event
		limit  int
	}{
		{name: "all"},
		{name: "eventName", params: map[string]any{"eventName": "manifestCreated"}, keep: named("manifestCreated")},
		{name: "unknown eventName", params: map[string]any{"eventName": "noSuchEvent"}, keep: named("noSuchEvent")},
		{name: "after", params: map[string]any{"after": mid}, keep: func(e api.Event) bool { return e.Timestamp > mid }},
		{name: "before", params: map[string]any{"before": mid}, keep: func(e api.Event) bool { return e.Timestamp < mid }},
		{name: "after and before", params: map[string]any{"after": all[0].Timestamp, "before": all[len(all)-1].Timestamp},
			keep: func(e api.Event) bool {
				return e.Timestamp > all[0].Timestamp && e.Timestamp < all[len(all)-1].Timestamp
			}},
		{name: "empty window", params: map[string]any{"after": mid, "before": mid}, keep: func(api.Event) bool { return false }},
		{name: "after the last", params: map[string]any{"after": all[len(all)-1].Timestamp}, keep: func(api.Event) bool { return false }},
		{name: "before the start", params: map[string]any{"before": 0}, keep: func(api.Event) bool { return false }},
		{name: "limit", params: map[string]any{"limit": 2}, limit: 2},
		{name: "limit 0 is none", params: map[string]any{"limit": 0}},
		{name: "limit over length", params: map[string]any{"limit": 100000}, limit: 100000},
		{name: "eventName and limit", params: map[string]any{"eventName": "authSucceeded", "limit": 1}, keep: named("authSucceeded"), limit: 1},
		{name: "everything", params: map[string]any{"eventName": "manifestCreated", "after": all[0].Timestamp, "limit": 2},
			keep: func(e api.Event) bool { return e.Name == "manifestCreated" && e.Timestamp > all[0].Timestamp }, limit: 2},
	}
	for _, who := range []struct {
		name string
		c    *client.Client
		sees func(api.Event) bool
	}{
		{"superuser", su, func(api.Event) bool { return true }},
		{"alice", alice, isAlices},
	} {
		for _, tc := range tests {
			t.Run(who.name+"/"+tc.name, func(t *testing.T) {
				got, err := who.c.EventLog(bg, tc.params)
				if err != nil {
					t.Fatal(err)
				}
				var want []uint64
				for _, e := range all {
					if who.sees(e) && (tc.keep == nil || tc.keep(e)) {
						want = append(want, e.Seq)
					}
				}
				if tc.limit > 0 && len(want) > tc.limit {
					want = want[len(want)-tc.limit:]
				}
				if gotSeqs := seqs(got); !slices.Equal(gotSeqs, want) {
					t.Errorf("getEventLog(%v) = %v, want %v", tc.params, gotSeqs, want)
				}
			})
		}
	}
	// Sanity: alice sees some but not all.
	if mine, _ := alice.EventLog(bg, nil); len(mine) != 4 || len(mine) >= len(all) {
		t.Errorf("alice sees %d of %d events, want her 4", len(mine), len(all))
	}
}

func named(n string) func(api.Event) bool { return func(e api.Event) bool { return e.Name == n } }

func seqs(evs []api.Event) []uint64 {
	out := []uint64{}
	for _, e := range evs {
		out = append(out, e.Seq)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
