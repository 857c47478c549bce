package daemon_test

import (
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/daemon/daemontest"
)

// closedPort is a 127.0.0.1 TCP port nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

// waitStatus polls until transfer id has status want.
func waitStatus(t *testing.T, c *client.Client, id, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		tr, err := c.Transfer(bg, id)
		if err != nil {
			t.Fatal(err)
		}
		if tr.Status == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("transfer %s is %s, want %s", id, tr.Status, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestSetTransferPriority: the queue of a destination whose receiver is
// unreachable (the first transfer keeps retrying, the rest wait) is
// re-ordered by send.setTransferPriority.
func TestSetTransferPriority(t *testing.T) {
	src := daemontest.OpenDir(t)
	a := daemontest.Start(t)
	a.AddUser("alice", "pw-alice-1", false)
	a.AddUser("carol", "pw-carol-1", false)
	randomFile(t, filepath.Join(src, "f"), 10)
	daemontest.ChownTree(t, src, daemontest.BuiltinIdentity(t))
	ca := a.Login("alice", "pw-alice-1")
	var dest api.Destination
	if err := ca.Call(bg, "send.createDestination", map[string]any{"destinationAddress": "127.0.0.1",
		"destinationApiPort": closedPort(t), "userName": "x", "password": "y"}, &dest); err != nil {
		t.Fatal(err)
	}
	var m api.Manifest
	if err := ca.Call(bg, "send.createManifest", map[string]any{"fileMappings": []string{filepath.Join(src, "f") + ":/f"}}, &m); err != nil {
		t.Fatal(err)
	}
	if err := ca.Call(bg, "send.waitForManifest", map[string]any{"manifestId": m.ManifestID, "timeoutSeconds": 30}, &m); err != nil {
		t.Fatal(err)
	}
	create := func() string {
		var tr api.Transfer
		if err := ca.Call(bg, "send.createTransfer", map[string]any{"destinationId": dest.DestinationID, "manifestId": m.ManifestID}, &tr); err != nil {
			t.Fatal(err)
		}
		return tr.TransferID
	}
	first := create()
	waitStatus(t, ca, first, api.TransferActive)
	older, newer := create(), create()

	w, err := ca.Watch(bg, api.WatchParams{Events: []string{"transferUpdated"}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var got api.Transfer
	if err := ca.Call(bg, "send.setTransferPriority", map[string]any{"transferId": newer, "priority": 7}, &got); err != nil {
		t.Fatal(err)
	}
	if got.Priority != 7 || got.TransferID != newer || got.Status != api.TransferPending {
		t.Fatalf("setTransferPriority returned %+v", got)
	}
	ev, err := w.Next(bg)
	if err != nil || ev.Name != "transferUpdated" || ev.Fields["transferId"] != newer || ev.Fields["priority"] != float64(7) {
		t.Fatalf("event %+v, %v", ev, err)
	}

	// Errors: not the owner, bad values, finished transfers.
	errCases := []struct {
		name   string
		c      *client.Client
		params map[string]any
		code   api.ErrorCode
	}{
		{"other user", a.Login("carol", "pw-carol-1"), map[string]any{"transferId": older, "priority": 1}, api.CodeNotFound},
		{"unknown transfer", ca, map[string]any{"transferId": "nope", "priority": 1}, api.CodeNotFound},
		{"missing priority", ca, map[string]any{"transferId": older}, api.CodeInvalidParameter},
		{"not an integer", ca, map[string]any{"transferId": older, "priority": "high"}, api.CodeInvalidParameter},
		{"too large", ca, map[string]any{"transferId": older, "priority": int64(1) << 40}, api.CodeInvalidParameter},
	}
	for _, tc := range errCases {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, tc.c.Call(bg, "send.setTransferPriority", tc.params, nil), tc.code)
		})
	}

	// The more urgent (lower) priority goes next although it is newer.
	if err := ca.TransferAction(bg, "send.cancelTransfer", first); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, ca, newer, api.TransferActive)
	if tr, _ := ca.Transfer(bg, older); tr.Status != api.TransferPending {
		t.Fatalf("older transfer is %s, want pending", tr.Status)
	}
	wantCode(t, ca.Call(bg, "send.setTransferPriority", map[string]any{"transferId": first, "priority": 1}, nil), api.CodeConflict)
	// Making the running one less urgent does not stop it.
	if err := ca.Call(bg, "send.setTransferPriority", map[string]any{"transferId": newer, "priority": 500}, nil); err != nil {
		t.Fatal(err)
	}
	if tr, _ := ca.Transfer(bg, newer); tr.Status != api.TransferActive {
		t.Fatalf("running transfer is %s after lowering its priority", tr.Status)
	}
	for _, id := range []string{newer, older} {
		ca.TransferAction(bg, "send.cancelTransfer", id)
	}
}
