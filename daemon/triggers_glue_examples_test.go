package daemon_test

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/daemontest"
)

// TestProductExamplesOnRealTransfers (#7 tests): the example scripts of
// reference/003 and 004, verbatim (bash with and without a "#!" line, and
// python), installed in the trigger directories of two real daemons, write
// the documented log lines for real API calls and a real server-to-server
// transfer. A trigger is looked up when its event happens: the test swaps
// recv.transferComplete between two transfers.
func TestProductExamplesOnRealTransfers(t *testing.T) {
	pythonOnPath(t)
	sendDir, recvDir := t.TempDir(), t.TempDir()
	installExample(t, sendDir, "004-launch", "launch")
	installExample(t, sendDir, "004-destinationCreated", "send.destinationCreated")
	installExample(t, sendDir, "003-destinationDeleted", "send.destinationDeleted") // no "#!": run by /bin/sh
	installExample(t, sendDir, "004-on.send.createManifest", "on.send.createManifest")
	installExample(t, recvDir, "004-fileList", "recv.transferComplete")
	installExample(t, recvDir, "004-transferComplete.json", "recv.transferComplete.json")

	sandbox := daemontest.OpenDir(t)
	a := daemontest.Start(t, withTriggers(sendDir, "", true, 0))
	b := daemontest.Start(t, daemontest.WithSandbox(filepath.Join(sandbox, "%u")), withTriggers(recvDir, "", false, 0))
	a.AddUser("alice", "pw-alice-1", true)
	b.AddUser("bob", "pw-bob-123", false)
	daemontest.OwnedDir(t, filepath.Join(sandbox, "bob"), daemontest.BuiltinIdentity(t))
	src := sourceTree(t, "one.txt")
	ca := a.Superuser("alice", "pw-alice-1")
	dest := createDestination(t, ca, b, "bob", "pw-bob-123")

	// Transfer 1: the file list (bash) and the JSON meta data (python).
	tr1 := sendTree(t, ca, dest.DestinationID, src, "/first", map[string]any{"project": "apollo"})
	if tr1.Status != api.TransferComplete {
		t.Fatalf("transfer 1 ended %s: %s", tr1.Status, deref(tr1.ErrorMessage))
	}
	landed1 := filepath.Join(sandbox, "bob", "first", "in", "one.txt")
	want := "manifest file: /in/one.txt, file path: " + landed1 + "\n" +
		"Transfer: '" + tr1.TransferID + "'\n" +
		"UserName: 'bob'\n" +
		"Input Files: ['/in/one.txt']\n" +
		"Output Files: ['" + landed1 + "']\n" +
		"User Data: {'project': 'apollo'}\n"
	if got := waitFile(t, filepath.Join(recvDir, "log.txt"), 6); got != want {
		t.Fatalf("receiver log.txt after transfer 1:\n%s\nwant:\n%s", got, want)
	}

	// Transfer 2: the plain completion example (003, no "#!") replaces the
	// file-list one.
	installExample(t, recvDir, "003-transferComplete", "recv.transferComplete")
	tr2 := sendTree(t, ca, dest.DestinationID, src, "/second", nil)
	if tr2.Status != api.TransferComplete {
		t.Fatalf("transfer 2 ended %s: %s", tr2.Status, deref(tr2.ErrorMessage))
	}
	landed2 := filepath.Join(sandbox, "bob", "second", "in", "one.txt")
	want += "Transfer ID " + tr2.TransferID + " initiated by bob is complete.\n" +
		"Transfer: '" + tr2.TransferID + "'\n" +
		"UserName: 'bob'\n" +
		"Input Files: ['/in/one.txt']\n" +
		"Output Files: ['" + landed2 + "']\n" +
		"User Data: {}\n"
	if got := waitFile(t, filepath.Join(recvDir, "log.txt"), 12); got != want {
		t.Fatalf("receiver log.txt after transfer 2:\n%s\nwant:\n%s", got, want)
	}

	if err := ca.Call(bg, "send.deleteDestination", map[string]any{"destinationId": dest.DestinationID}, nil); err != nil {
		t.Fatal(err)
	}
	destAddr := eventField(t, ca, "destinationCreated", "destinationAddress")
	created := eventField(t, ca, "destinationCreated", "clientAddress")
	deleted := eventField(t, ca, "destinationDeleted", "clientAddress")
	a.Stop() // drains the trigger queue
	b.Stop()

	manifestLines := func(src string) string {
		return "Message: 'Manifest requested.'\n" + // as reference/003
			"Status: 'success'\n" +
			"Command: {'request': 'send.createManifest', 'parameters': {'fileMappings': ['" + filepath.Join(src, "data") + ":/in']}}\n" +
			"Result: {'manifestId': 'ID', 'status': 'pending', 'processing': True, 'totalFiles': None, 'totalSize': None, 'errorMessage': None, 'owner': 'alice', 'creationTime': TS}\n"
	}
	want = fmt.Sprintf("JetStream server Launched on port %d\n", a.Port) +
		"Sender " + created + " created destination " + destAddr + "\n" +
		manifestLines(src) + manifestLines(src) +
		"Sender " + deleted + " deleted destination " + destAddr + "\n"
	got := regexp.MustCompile(`'[0-9a-f]{32}'`).ReplaceAllString(readFile(t, filepath.Join(sendDir, "log.txt")), "'ID'")
	got = regexp.MustCompile(`\b[0-9]{16}\b`).ReplaceAllString(got, "TS")
	if got != want {
		t.Errorf("sender log.txt:\n%s\nwant:\n%s", got, want)
	}
	if strings.Contains(readFile(t, filepath.Join(sendDir, "log.txt")), "pw-") {
		t.Error("a password reached a trigger")
	}
}
