package daemon_test

import (
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/daemon"
	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/config"
	"github.com/jetstream-go/jetstream/daemon/daemontest"
)

// TestCallHookRunsBeforeResponse: the on.<command> hook is queued before the
// answer is written, so a client that waits for each answer sees its
// commands' triggers in order.
func TestCallHookRunsBeforeResponse(t *testing.T) {
	d := daemontest.Start(t)
	d.AddUser("alice", "pw-alice-1", false)
	entered, release := make(chan string, 1), make(chan struct{})
	daemon.AddCallHookForTest(d.Srv, func(_ string, req *api.Request, resp *api.Response) {
		if req.Request == "echo" {
			entered <- string(resp.Result)
			<-release
		}
	})
	c := d.Login("alice", "pw-alice-1")
	answered := make(chan error, 1)
	go func() { answered <- c.Call(bg, "echo", map[string]any{"text": "x"}, nil) }()
	if got := <-entered; got != `"x"` {
		t.Fatalf("hook saw result %s", got)
	}
	select {
	case err := <-answered:
		t.Fatalf("the answer (%v) was written before the hook was queued", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	if err := <-answered; err != nil {
		t.Fatal(err)
	}
}

// testConfig is a configuration New accepts, on loopback.
func testConfig(t *testing.T) config.Server {
	cfg := config.Default()
	dir := t.TempDir()
	cfg.PersistentStateDir = filepath.Join(dir, "state")
	cfg.TriggerDir = filepath.Join(dir, "triggers")
	cfg.APIHost, cfg.APIPort, cfg.RecvPort = "127.0.0.1", 0, 0
	return cfg
}

// waitGoroutines waits until at most n goroutines run.
func waitGoroutines(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > n {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines, want <= %d:\n%s", runtime.NumGoroutine(), n, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestNewFailureLeaksNothing: New failing late (UDP port taken, bad trigger
// log) leaves no goroutine, socket or state lock behind.
func TestNewFailureLeaksNothing(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	taken, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	free, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	freePort := free.LocalAddr().(*net.UDPAddr).Port
	free.Close()
	tests := []struct {
		name    string
		mod     func(*config.Server)
		wantErr string
	}{
		{"UDP port in use", func(c *config.Server) { c.RecvPort = taken.LocalAddr().(*net.UDPAddr).Port }, "UDP receive port"},
		{"trigger log unwritable", func(c *config.Server) {
			c.RecvPort = freePort
			c.TriggerLog = filepath.Join(t.TempDir(), "missing", "trigger.log")
		}, "--trigger-log"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(t)
			tc.mod(&cfg)
			base := runtime.NumGoroutine()
			for range 5 {
				if _, err := daemon.New(daemon.Options{Config: cfg, Logger: quiet}); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("New: %v, want an error about %s", err, tc.wantErr)
				}
			}
			waitGoroutines(t, base)
			// The UDP port and the state directory are free again.
			cfg.TriggerLog = ""
			if cfg.RecvPort == freePort {
				srv, err := daemon.New(daemon.Options{Config: cfg, Logger: quiet})
				if err != nil {
					t.Fatalf("New after the failures: %v", err)
				}
				srv.Close()
			}
		})
	}
}

// TestShutdownRecordsTransferOutcome: stopping either daemon during a
// transfer records the end of its side (recvTransferFailed on the receiver,
// transferUpdated back to pending on the sender) before serverStopped.
func TestShutdownRecordsTransferOutcome(t *testing.T) {
	srcDir := daemontest.OpenDir(t)
	sandbox := daemontest.OpenDir(t)
	a := daemontest.Start(t)
	b := daemontest.Start(t, daemontest.WithSandbox(filepath.Join(sandbox, "%u")))
	a.AddUser("alice", "pw-alice-1", true)
	b.AddUser("bob", "pw-bob-123", true)
	id := daemontest.BuiltinIdentity(t)
	randomFile(t, filepath.Join(srcDir, "big.bin"), 4<<20)
	daemontest.ChownTree(t, srcDir, id)
	ca := a.Login("alice", "pw-alice-1")
	var dest api.Destination
	if err := ca.Call(bg, "send.createDestination", map[string]any{"destinationAddress": "127.0.0.1", "destinationApiPort": b.Port,
		"userName": "bob", "password": "pw-bob-123", "sendRateMax": 4000}, &dest); err != nil {
		t.Fatal(err)
	}
	var m api.Manifest
	if err := ca.Call(bg, "send.createManifest", map[string]any{"fileMappings": []string{filepath.Join(srcDir, "big.bin") + ":/big.bin"}}, &m); err != nil {
		t.Fatal(err)
	}
	if err := ca.Call(bg, "send.waitForManifest", map[string]any{"manifestId": m.ManifestID, "timeoutSeconds": 30}, &m); err != nil {
		t.Fatal(err)
	}
	var tr api.Transfer
	if err := ca.Call(bg, "send.createTransfer", map[string]any{"destinationId": dest.DestinationID, "manifestId": m.ManifestID}, &tr); err != nil {
		t.Fatal(err)
	}
	waitBytes := func() {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			got, err := ca.Transfer(bg, tr.TransferID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status == api.TransferActive && got.BytesAcked > 0 {
				return
			}
			if time.Now().After(deadline) || got.Status != api.TransferActive && got.Status != api.TransferPending {
				t.Fatalf("transfer did not get going: %s %q", got.Status, deref(got.ErrorMessage))
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	// eventBefore reports whether the log has name for the transfer (with
	// status when given) before the first serverStopped.
	eventBefore := func(evs []api.Event, name, status string) bool {
		for _, e := range evs {
			if e.Name == "serverStopped" {
				return false
			}
			if e.Name == name && e.Fields["transferId"] == tr.TransferID && (status == "" || e.Fields["status"] == status) {
				return true
			}
		}
		return false
	}

	waitBytes()
	b.Restart()
	evs, err := b.Superuser("bob", "pw-bob-123").EventLog(bg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !eventBefore(evs, "recvTransferFailed", "") {
		t.Fatalf("receiver's log lacks recvTransferFailed before serverStopped: %+v", evs)
	}

	waitBytes() // the sender reconnected to the restarted receiver
	a.Restart()
	ca = a.Superuser("alice", "pw-alice-1")
	if evs, err = ca.EventLog(bg, nil); err != nil {
		t.Fatal(err)
	}
	if !eventBefore(evs, "transferUpdated", api.TransferPending) {
		t.Fatalf("sender's log lacks transferUpdated(pending) before serverStopped: %+v", evs)
	}
	ca.TransferAction(bg, "send.cancelTransfer", tr.TransferID)
}
