package daemon_test

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/daemontest"
)

// TestEventLogHasEveryStateChange (#7 point 4): each documented state
// change is in the event log with _event and a _timestamp in Unix
// microseconds, with the fields that identify it.
func TestEventLogHasEveryStateChange(t *testing.T) {
	t0 := time.Now().UnixMicro()
	src, dst := daemontest.OpenDir(t), daemontest.OpenDir(t)
	d := daemontest.Start(t)
	d.AddUser("admin", "pw-admin-1", true)
	peer := daemontest.Start(t)
	peer.AddUser("admin", "pw-admin-1", false)
	id := daemontest.BuiltinIdentity(t)
	randomFile(t, filepath.Join(src, "f"), 1000)
	daemontest.ChownTree(t, src, id)
	daemontest.OwnedDir(t, dst, id)

	if err := d.Dial().Auth(bg, "admin", "wrong-password"); err == nil {
		t.Fatal("wrong password accepted")
	}
	su := d.Superuser("admin", "pw-admin-1")
	call := func(method string, params map[string]any, out any) {
		t.Helper()
		if err := su.Call(bg, method, params, out); err != nil {
			t.Fatalf("%s: %v", method, err)
		}
	}
	// A live peer (transfers complete) and a dead one (they fail).
	var self, dead api.Destination
	call("send.createDestination", map[string]any{"destinationAddress": "127.0.0.1", "destinationApiPort": peer.Port,
		"userName": "admin", "password": "pw-admin-1"}, &self)
	call("send.createDestination", map[string]any{"destinationAddress": "127.0.0.1", "destinationApiPort": closedPort(t),
		"userName": "x", "password": "y"}, &dead)
	var m api.Manifest
	call("send.createManifest", map[string]any{"fileMappings": []string{filepath.Join(src, "f") + ":/f"}}, &m)
	call("send.waitForManifest", map[string]any{"manifestId": m.ManifestID, "timeoutSeconds": 30}, &m)
	var ok, failed api.Transfer
	call("send.createTransfer", map[string]any{"destinationId": self.DestinationID, "manifestId": m.ManifestID, "destinationPath": dst}, &ok)
	if got := waitTransfer(t, su, ok.TransferID); got.Status != api.TransferComplete {
		t.Fatalf("transfer to self: %s %q", got.Status, deref(got.ErrorMessage))
	}
	call("send.createTransfer", map[string]any{"destinationId": dead.DestinationID, "manifestId": m.ManifestID}, &failed)
	waitStatus(t, su, failed.TransferID, api.TransferActive)
	call("send.failTransfer", map[string]any{"transferId": failed.TransferID, "message": "test"}, nil)
	waitStatus(t, su, failed.TransferID, api.TransferError)
	call("send.deleteDestination", map[string]any{"destinationId": dead.DestinationID}, nil)
	call("setSandboxMapping", map[string]any{"userName": "nobody-here", "sandboxRoots": map[string]string{"": "/srv/%u"}}, nil)
	call("updateBandwidthLimits", map[string]any{"outgoingLimitActive": true, "outgoingRateLimit": 100000}, nil)
	call("garbageCollect", nil, nil)
	d.Restart()
	t1 := time.Now().UnixMicro()

	raw, err := d.Superuser("admin", "pw-admin-1").CallRaw(bg, "getEventLog", nil)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		EventLog []map[string]any `json:"eventLog"`
	}
	if err := json.Unmarshal(raw, &log); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		event string
		want  map[string]any // fields the event must carry
	}{
		{"serverStarted", nil},
		{"serverStopped", nil},
		{"authSucceeded", map[string]any{"userName": "admin"}},
		{"authFailed", map[string]any{"userName": "admin"}},
		{"destinationCreated", map[string]any{"destinationId": dead.DestinationID}},
		{"destinationDeleted", map[string]any{"destinationId": dead.DestinationID}},
		{"manifestCreated", map[string]any{"manifestId": m.ManifestID}},
		{"transferCreated", map[string]any{"transferId": ok.TransferID, "manifestId": m.ManifestID}},
		{"transferUpdated", map[string]any{"transferId": failed.TransferID, "status": api.TransferError}},
		{"transferComplete", map[string]any{"transferId": ok.TransferID}},
		{"transferFailed", map[string]any{"transferId": failed.TransferID, "errorMessage": "test"}},
		{"sandboxMappingChanged", nil},
		{"bandwidthLimitsChanged", nil},
		{"gcRun", nil},
	}
	for _, tc := range tests {
		t.Run(tc.event, func(t *testing.T) {
			for _, e := range log.EventLog {
				if e["_event"] != tc.event || !hasFields(e, tc.want) {
					continue
				}
				ts, isNum := e["_timestamp"].(float64)
				if !isNum || int64(ts) < t0 || int64(ts) > t1 {
					t.Fatalf("_timestamp %v is not Unix µs between %d and %d", e["_timestamp"], t0, t1)
				}
				return
			}
			t.Fatalf("no %s event with %v in the log", tc.event, tc.want)
		})
	}
}

func hasFields(e, want map[string]any) bool {
	for k, v := range want {
		if e[k] != v {
			return false
		}
	}
	return true
}
