package e2e

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/daemon/daemontest"
)

const (
	alicePW = "pw-alice-1"
	bobPW   = "pw-bob-123"
)

// pair is a sending daemon A (user alice, no sandbox) and a receiving daemon
// B (user bob, sandbox <root>/%u), and files to send.
type pair struct {
	t       *testing.T
	a, b    *daemon
	ca      *client.Client // alice on A
	src     string         // source directory (host path)
	landed  string         // where B lands destinationPath "/in"
	sandbox string         // sandbox root of B (bob's is sandbox/bob)
	destID  string
}

// newPair starts both daemons; sandboxRoot "" makes a temporary one.
func newPair(t *testing.T, sandboxRoot string) *pair {
	t.Helper()
	if sandboxRoot == "" {
		sandboxRoot = daemontest.OpenDir(t)
	}
	id := daemontest.BuiltinIdentity(t)
	daemontest.OwnedDir(t, filepath.Join(sandboxRoot, "bob"), id)
	p := &pair{t: t, src: daemontest.OpenDir(t), sandbox: sandboxRoot,
		landed: filepath.Join(sandboxRoot, "bob", "in")}
	p.a = startDaemon(t, "sender", "", map[string]string{"alice": alicePW})
	p.b = startDaemon(t, "receiver", filepath.Join(sandboxRoot, "%u"), map[string]string{"bob": bobPW})
	p.ca = p.a.login("alice", alicePW)
	return p
}

// destination creates alice's destination to B; addr "" means 127.0.0.1
// (the receiver reports its UDP port in the ticket).
func (p *pair) destination(addr string, rateKbps float64) {
	p.t.Helper()
	if addr == "" {
		addr = "127.0.0.1"
	}
	var d api.Destination
	params := map[string]any{"destinationAddress": addr, "destinationApiPort": p.b.apiPort,
		"userName": "bob", "password": bobPW}
	if rateKbps > 0 { // a steady rate makes "mid-transfer" predictable
		params["sendRateMax"], params["policy"] = rateKbps, "fixed"
	}
	if err := p.ca.Call(bg, "send.createDestination", params, &d); err != nil {
		p.t.Fatalf("createDestination: %v", err)
	}
	p.destID = d.DestinationID
}

// file writes n random bytes to src/rel and returns its content.
func (p *pair) file(rel string, n int) []byte {
	p.t.Helper()
	b := make([]byte, n)
	rand.Read(b)
	path := filepath.Join(p.src, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		p.t.Fatal(err)
	}
	daemontest.ChownTree(p.t, p.src, daemontest.BuiltinIdentity(p.t))
	return b
}

// send builds a manifest of the whole source directory and starts a transfer
// of it to destinationPath /in, checkpointing every second.
func (p *pair) send() string {
	p.t.Helper()
	var m api.Manifest
	if err := p.ca.Call(bg, "send.createManifest", map[string]any{"fileMappings": []string{p.src + ":/"}}, &m); err != nil {
		p.t.Fatalf("createManifest: %v", err)
	}
	if err := p.ca.Call(bg, "send.waitForManifest", map[string]any{"manifestId": m.ManifestID, "timeoutSeconds": 30}, &m); err != nil {
		p.t.Fatalf("waitForManifest: %v", err)
	}
	if m.Status != api.ManifestComplete {
		p.t.Fatalf("manifest %s: %s", m.Status, deref(m.ErrorMessage))
	}
	var tr api.Transfer
	if err := p.ca.Call(bg, "send.createTransfer", map[string]any{"destinationId": p.destID, "manifestId": m.ManifestID,
		"destinationPath": "/in", "checkpointFrequencySeconds": 1}, &tr); err != nil {
		p.t.Fatalf("createTransfer: %v", err)
	}
	return tr.TransferID
}

// waitAcked polls until at least n bytes are acknowledged and returns the
// transfer as last seen.
func (p *pair) waitAcked(id string, n int64) api.Transfer {
	p.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		tr, err := p.ca.Transfer(bg, id)
		if err != nil {
			p.t.Fatalf("getTransfer: %v", err)
		}
		if tr.BytesAcked >= n {
			return tr
		}
		if tr.Status != api.TransferActive && tr.Status != api.TransferPending {
			p.t.Fatalf("transfer ended %s (%s) before %d bytes were acknowledged", tr.Status, deref(tr.ErrorMessage), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.t.Fatalf("transfer %s: %d bytes not acknowledged in time", id, n)
	return api.Transfer{}
}

// wait polls until the transfer leaves pending/active.
func (p *pair) wait(id string, limit time.Duration) api.Transfer {
	p.t.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		tr, err := p.ca.Transfer(bg, id)
		if err != nil {
			p.t.Fatalf("getTransfer: %v", err)
		}
		if tr.Status != api.TransferPending && tr.Status != api.TransferActive {
			return tr
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.t.Fatalf("transfer %s did not end within %v", id, limit)
	return api.Transfer{}
}

// checkLanded asserts that every file of want landed byte-identical.
func (p *pair) checkLanded(want map[string][]byte) {
	p.t.Helper()
	for rel, data := range want {
		got, err := os.ReadFile(filepath.Join(p.landed, rel))
		if err != nil {
			p.t.Errorf("%s: %v", rel, err)
			continue
		}
		if !bytes.Equal(got, data) {
			p.t.Errorf("%s: content differs: %d bytes sha256 %x, want %d bytes sha256 %x", rel, len(got), sha(got), len(data), sha(data))
		}
	}
}

// partfiles lists the partfiles below dir.
func partfiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && filepath.Ext(path) == ".jetpart" {
			out = append(out, path)
		}
		return nil
	})
	return out
}

func sha(b []byte) []byte { h := sha256.Sum256(b); return h[:8] }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
