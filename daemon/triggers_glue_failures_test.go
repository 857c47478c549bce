package daemon_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/daemontest"
)

// TestFailureTriggersOnRealTransfer (#7 point 3, beyond the product): a
// real transfer whose file cannot be written on the receiver starts
// recv.transferFailed there (transfer_id, username, message) and
// send.transferFailed on the sender (transfer_id, owner, message); neither
// completion trigger runs.
func TestFailureTriggersOnRealTransfer(t *testing.T) {
	sendDir := triggerDir(t, map[string]string{"send.transferFailed": argsScript, "send.transferComplete": argsScript})
	recvDir := triggerDir(t, map[string]string{"recv.transferFailed": argsScript, "recv.transferComplete": argsScript,
		"recv.transferComplete.json": argsScript})
	sandbox := daemontest.OpenDir(t)
	a := daemontest.Start(t, withTriggers(sendDir, "", false, 0))
	b := daemontest.Start(t, daemontest.WithSandbox(filepath.Join(sandbox, "%u")), withTriggers(recvDir, "", false, 0))
	a.AddUser("alice", "pw-alice-1", true)
	b.AddUser("bob", "pw-bob-123", false)
	id := daemontest.BuiltinIdentity(t)
	daemontest.OwnedDir(t, filepath.Join(sandbox, "bob", "broken"), id)
	// A regular file where the transfer needs a directory: in/one.txt
	// cannot be written.
	if err := os.WriteFile(filepath.Join(sandbox, "bob", "broken", "in"), []byte("in the way"), 0o644); err != nil {
		t.Fatal(err)
	}
	daemontest.ChownTree(t, filepath.Join(sandbox, "bob", "broken"), id)
	src := sourceTree(t, "one.txt")
	ca := a.Superuser("alice", "pw-alice-1")
	dest := createDestination(t, ca, b, "bob", "pw-bob-123")
	tr := sendTree(t, ca, dest.DestinationID, src, "/broken", nil)
	if tr.Status != api.TransferError {
		t.Fatalf("transfer ended %s, want %s", tr.Status, api.TransferError)
	}
	recvArgs := strings.Split(waitFile(t, filepath.Join(recvDir, "recv.transferFailed.out"), 3), "\n")
	sendArgs := strings.Split(waitFile(t, filepath.Join(sendDir, "send.transferFailed.out"), 3), "\n")
	a.Stop()
	b.Stop()
	if len(recvArgs) != 4 || recvArgs[0] != tr.TransferID || recvArgs[1] != "bob" || !strings.Contains(recvArgs[2], "one.txt") {
		t.Errorf("recv.transferFailed arguments %q, want [%s bob <message naming one.txt>]", recvArgs, tr.TransferID)
	}
	if len(sendArgs) != 4 || sendArgs[0] != tr.TransferID || sendArgs[1] != "alice" || sendArgs[2] != deref(tr.ErrorMessage) {
		t.Errorf("send.transferFailed arguments %q, want [%s alice %q]", sendArgs, tr.TransferID, deref(tr.ErrorMessage))
	}
	for _, name := range []string{filepath.Join(sendDir, "send.transferComplete.out"), filepath.Join(recvDir, "recv.transferComplete.out"),
		filepath.Join(recvDir, "recv.transferComplete.json.out")} {
		if _, err := os.Stat(name); err == nil {
			t.Errorf("%s ran for a failed transfer", filepath.Base(name))
		}
	}
}

// TestHangingTriggerDuringRealTransfer (#7 tests): a recv.transferStarted
// that never exits (until the test releases it) blocks the receiver's later
// triggers, but not the receiver: the transfer completes and the API
// answers. Released, the queued triggers run in order.
func TestHangingTriggerDuringRealTransfer(t *testing.T) {
	recvDir := triggerDir(t, map[string]string{
		"recv.transferStarted":       "#!/bin/sh\ncat > started.json\necho \"started $1\" >> order.txt\nread x < gate\n",
		"recv.transferComplete":      "#!/bin/sh\necho \"complete $1\" >> order.txt\n",
		"recv.transferComplete.json": "#!/bin/sh\necho \"json $1\" >> order.txt\n",
	})
	gate := filepath.Join(recvDir, "gate")
	if err := syscall.Mkfifo(gate, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	sandbox := daemontest.OpenDir(t)
	a := daemontest.Start(t)
	b := daemontest.Start(t, daemontest.WithSandbox(filepath.Join(sandbox, "%u")), withTriggers(recvDir, "", false, 0))
	a.AddUser("alice", "pw-alice-1", true)
	b.AddUser("bob", "pw-bob-123", false)
	daemontest.OwnedDir(t, filepath.Join(sandbox, "bob"), daemontest.BuiltinIdentity(t))
	src := sourceTree(t, "one.txt", "two.txt")
	ca := a.Superuser("alice", "pw-alice-1")
	dest := createDestination(t, ca, b, "bob", "pw-bob-123")

	tr := sendTree(t, ca, dest.DestinationID, src, "/p", nil)
	if tr.Status != api.TransferComplete {
		t.Fatalf("transfer with a hanging trigger ended %s: %s", tr.Status, deref(tr.ErrorMessage))
	}
	if b, err := os.ReadFile(filepath.Join(sandbox, "bob", "p", "in", "two.txt")); err != nil || string(b) != "content of two.txt" {
		t.Fatalf("received file: %q %v", b, err)
	}
	ctx, cancel := context.WithTimeout(bg, 10*time.Second)
	defer cancel()
	if _, err := b.Login("bob", "pw-bob-123").ServerInfo(ctx); err != nil {
		t.Fatalf("receiver API while a trigger hangs: %v", err)
	}
	// The completion triggers wait behind the hanging one.
	if got := waitFile(t, filepath.Join(recvDir, "order.txt"), 1); got != "started "+tr.TransferID+"\n" {
		t.Fatalf("order.txt while blocked = %q", got)
	}
	// The documented stdin of recv.transferStarted, exactly.
	var meta, wantMeta any
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(recvDir, "started.json"))), &meta); err != nil {
		t.Fatal(err)
	}
	json.Unmarshal([]byte(`{"inputFiles":[],"outputFiles":[],"userData":{},"transferId":"`+tr.TransferID+
		`","destinationPath":"/p","totalSize":36}`), &wantMeta)
	if !reflect.DeepEqual(meta, wantMeta) {
		t.Errorf("recv.transferStarted stdin = %v, want %v", meta, wantMeta)
	}
	f, err := os.OpenFile(gate, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("go\n")
	f.Close()
	want := "started " + tr.TransferID + "\ncomplete " + tr.TransferID + "\njson " + tr.TransferID + "\n"
	if got := waitFile(t, filepath.Join(recvDir, "order.txt"), 3); got != want {
		t.Errorf("order.txt = %q, want %q", got, want)
	}
}

// A trigger file without the executable bit does not run; --trigger-log
// says why (#7 point 1). Fixing its mode makes the next event run it.
func TestNonExecutableTriggerIsSkippedAndLogged(t *testing.T) {
	dir := t.TempDir()
	body := []byte("#!/bin/sh\nprintf '%s\\n' \"$3\" >> ran.txt\n")
	if err := os.WriteFile(filepath.Join(dir, "on.echo"), body, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, "on.echo"), 0o644); err != nil { // whatever the umask
		t.Fatal(err)
	}
	logPath := filepath.Join(t.TempDir(), "trigger.log")
	d := daemontest.Start(t, withTriggers(dir, logPath, true, 0))
	d.AddUser("alice", "pw-alice-1", false)
	c := d.Login("alice", "pw-alice-1")
	if err := c.Call(bg, "echo", map[string]any{"text": "first"}, nil); err != nil {
		t.Fatal(err)
	}
	waitFile(t, logPath, 1)
	if err := os.Chmod(filepath.Join(dir, "on.echo"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := c.Call(bg, "echo", map[string]any{"text": "second"}, nil); err != nil {
		t.Fatal(err)
	}
	if got := waitFile(t, filepath.Join(dir, "ran.txt"), 1); got != "OK\n" {
		t.Errorf("ran.txt = %q, want one run", got)
	}
	d.Stop()
	log := readFile(t, logPath)
	lines := strings.Split(strings.TrimSpace(log), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], " skip on.echo ") ||
		!strings.HasSuffix(lines[0], ": not executable (mode -rw-r--r--; chmod +x to enable it)") ||
		!strings.Contains(lines[1], " run on.echo ") || !strings.Contains(lines[2], " end on.echo ") {
		t.Errorf("trigger log:\n%s", log)
	}
}
