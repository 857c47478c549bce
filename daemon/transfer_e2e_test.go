package daemon_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/daemon/daemontest"
)

// waitTransfer polls until the transfer leaves pending/active.
func waitTransfer(t *testing.T, c *client.Client, id string) api.Transfer {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		tr, err := c.Transfer(bg, id)
		if err != nil {
			t.Fatal(err)
		}
		if tr.Status != api.TransferPending && tr.Status != api.TransferActive {
			return tr
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("transfer %s did not finish", id)
	return api.Transfer{}
}

func randomFile(t *testing.T, path string, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	rand.Read(b)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return b
}

// TestServerToServerTransfer runs the product's model: a client asks daemon A
// to send a manifest to daemon B, which lands it per its sandbox and the
// destination path table.
func TestServerToServerTransfer(t *testing.T) {
	srcDir := daemontest.OpenDir(t)
	sandbox := daemontest.OpenDir(t)
	a := daemontest.Start(t)
	b := daemontest.Start(t, daemontest.WithSandbox(filepath.Join(sandbox, "%u")))
	a.AddUser("alice", "pw-alice-1", false)
	b.AddUser("bob", "pw-bob-123", false)
	id := daemontest.BuiltinIdentity(t)
	daemontest.OwnedDir(t, filepath.Join(sandbox, "bob"), id)
	big := randomFile(t, filepath.Join(srcDir, "data", "big.bin"), 3<<20+17)
	small := randomFile(t, filepath.Join(srcDir, "data", "sub", "small.txt"), 100)
	randomFile(t, filepath.Join(srcDir, "data", "empty"), 0)
	os.MkdirAll(filepath.Join(srcDir, "data", "emptydir"), 0o755)
	daemontest.ChownTree(t, srcDir, id)

	ca := a.Login("alice", "pw-alice-1")
	var dest api.Destination
	if err := ca.Call(bg, "send.createDestination", map[string]any{
		"destinationAddress": "127.0.0.1", "destinationApiPort": b.Port,
		"userName": "bob", "password": "pw-bob-123",
	}, &dest); err != nil {
		t.Fatal(err)
	}
	// Same parameters return the same destination.
	var again api.Destination
	ca.Call(bg, "send.createDestination", map[string]any{"destinationAddress": "127.0.0.1", "destinationApiPort": b.Port, "userName": "bob", "password": "pw-bob-123"}, &again)
	if again.DestinationID != dest.DestinationID {
		t.Fatalf("createDestination is not idempotent: %s vs %s", again.DestinationID, dest.DestinationID)
	}
	var m api.Manifest
	if err := ca.Call(bg, "send.createManifest", map[string]any{"fileMappings": []string{filepath.Join(srcDir, "data") + ":/target/data"}}, &m); err != nil {
		t.Fatal(err)
	}
	if err := ca.Call(bg, "send.waitForManifest", map[string]any{"manifestId": m.ManifestID, "timeoutSeconds": 30}, &m); err != nil {
		t.Fatal(err)
	}
	if m.Status != api.ManifestComplete || *m.TotalFiles != 4 {
		t.Fatalf("manifest: %+v (%s)", m, deref(m.ErrorMessage))
	}
	var tr api.Transfer
	if err := ca.Call(bg, "send.createTransfer", map[string]any{"destinationId": dest.DestinationID, "manifestId": m.ManifestID, "destinationPath": "/project"}, &tr); err != nil {
		t.Fatal(err)
	}
	tr = waitTransfer(t, ca, tr.TransferID)
	if tr.Status != api.TransferComplete {
		t.Fatalf("transfer ended %s: %s", tr.Status, deref(tr.ErrorMessage))
	}
	landed := filepath.Join(sandbox, "bob", "project", "target", "data")
	for rel, want := range map[string][]byte{"big.bin": big, "sub/small.txt": small, "empty": {}} {
		got, err := os.ReadFile(filepath.Join(landed, rel))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s: %d bytes, err %v; want %d bytes", rel, len(got), err, len(want))
		}
	}
	if fi, err := os.Stat(filepath.Join(landed, "emptydir")); err != nil || !fi.IsDir() {
		t.Fatalf("empty dir not transferred: %v", err)
	}
	if tr.BytesAcked < int64(len(big)) || tr.FilesDone < 3 {
		t.Fatalf("counters: %+v", tr)
	}
	// Another user cannot see alice's transfer.
	a.AddUser("carol", "pw-carol-1", false)
	_, err := a.Login("carol", "pw-carol-1").Transfer(bg, tr.TransferID)
	wantCode(t, err, api.CodeNotFound)
	var recv struct {
		Transfers []api.RecvTransfer `json:"transfers"`
	}
	if err := b.Login("bob", "pw-bob-123").Async(bg, "recv.getTransfersAsync", nil, &recv); err != nil || len(recv.Transfers) != 1 || recv.Transfers[0].Status != "complete" {
		t.Fatalf("receiver view: %+v %v", recv, err)
	}
	_ = context.Background
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// TestManifestRefusesLinksOutOfSandbox: a link inside the user's sandbox that
// points outside it must not smuggle the outside file into a manifest.
func TestManifestRefusesLinksOutOfSandbox(t *testing.T) {
	root := daemontest.OpenDir(t)
	a := daemontest.Start(t, daemontest.WithSandbox(filepath.Join(root, "%u")))
	a.AddUser("alice", "pw-alice-1", false)
	id := daemontest.BuiltinIdentity(t)
	home := daemontest.OwnedDir(t, filepath.Join(root, "alice"), id)
	randomFile(t, filepath.Join(root, "secret.txt"), 10)
	randomFile(t, filepath.Join(home, "dir", "ok.txt"), 10)
	os.Symlink(filepath.Join(root, "secret.txt"), filepath.Join(home, "dir", "leak"))
	daemontest.ChownTree(t, home, id)
	c := a.Login("alice", "pw-alice-1")
	var m api.Manifest
	if err := c.Call(bg, "send.createManifest", map[string]any{"fileMappings": map[string]string{"/dir": "/x"}}, &m); err != nil {
		t.Fatal(err)
	}
	if err := c.Call(bg, "send.waitForManifest", map[string]any{"manifestId": m.ManifestID, "timeoutSeconds": 30}, &m); err != nil {
		t.Fatal(err)
	}
	if m.Status != api.ManifestError {
		var files api.ManifestFiles
		c.Call(bg, "send.getManifestFiles", map[string]any{"manifestId": m.ManifestID}, &files)
		t.Fatalf("manifest with a link out of the sandbox was accepted: %+v", files)
	}
}
