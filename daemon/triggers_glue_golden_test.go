package daemon_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/daemontest"
)

// The -update flag rewrites golden files. Another test file of the package
// may define it first.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// onAPIGoldenDir holds the golden on.<command> arguments.
const onAPIGoldenDir = "triggers/testdata/onapi"

// onAPITriggers are the API command triggers the golden test installs (on
// both daemons) and pins.
var onAPITriggers = []string{
	"on.auth", "on.superuser", "on.echo", "on.getEventLog", "on.send.createDestination",
	"on.send.createManifest", "on.send.createTransfer", "on.send.deleteDestination", "on.recv.createTicket",
}

// TestOnAPIArgumentsGolden (#7 tests): the four arguments of on.<command>
// triggers for real API calls between two daemons — a sender driven by a
// client and a receiver driven by the sender — match
// triggers/testdata/onapi/*.golden, one argument per line, with IDs, times,
// ports and temporary paths normalised. Secrets are redacted. Run with
// -update to rewrite the files.
func TestOnAPIArgumentsGolden(t *testing.T) {
	scripts := map[string]string{}
	for _, n := range onAPITriggers {
		scripts[n] = argsScript
	}
	sendDir, recvDir := triggerDir(t, scripts), triggerDir(t, scripts)
	sandbox := daemontest.OpenDir(t)
	a := daemontest.Start(t, withTriggers(sendDir, "", true, 0))
	b := daemontest.Start(t, daemontest.WithSandbox(filepath.Join(sandbox, "%u")), withTriggers(recvDir, "", true, 0))
	a.AddUser("alice", "pw-alice-1", true)
	b.AddUser("bob", "pw-bob-123", false)
	daemontest.OwnedDir(t, filepath.Join(sandbox, "bob"), daemontest.BuiltinIdentity(t))
	src := sourceTree(t, "one.txt")

	ca := a.Superuser("alice", "pw-alice-1")
	if err := ca.Call(bg, "echo", map[string]any{"text": "hello"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := ca.Call(bg, "getEventLog", map[string]any{"limit": -1}, nil); err == nil {
		t.Fatal("getEventLog with limit -1 succeeded")
	}
	dest := createDestination(t, ca, b, "bob", "pw-bob-123")
	tr := sendTree(t, ca, dest.DestinationID, src, "/golden", map[string]any{"job": 42, "note": "a\tb"})
	if tr.Status != api.TransferComplete {
		t.Fatalf("transfer ended %s: %s", tr.Status, deref(tr.ErrorMessage))
	}
	if err := ca.Call(bg, "send.deleteDestination", map[string]any{"destinationId": dest.DestinationID}, nil); err != nil {
		t.Fatal(err)
	}
	a.Stop() // drains the trigger queues
	b.Stop()

	norm := goldenNormaliser(map[string]string{
		src: "<SRC>", sandbox: "<SANDBOX>", strconv.Itoa(a.Port): "<SEND_API_PORT>", strconv.Itoa(b.Port): "<RECV_API_PORT>",
	})
	for _, side := range []struct{ name, dir string }{{"send", sendDir}, {"recv", recvDir}} {
		for _, trig := range onAPITriggers {
			b, err := os.ReadFile(filepath.Join(side.dir, trig+".out"))
			if err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			got := norm(b)
			for _, secret := range []string{"pw-alice-1", "pw-bob-123"} {
				if bytes.Contains(b, []byte(secret)) {
					t.Errorf("%s %s got the password %q", side.name, trig, secret)
				}
			}
			checkGolden(t, filepath.Join(onAPIGoldenDir, side.name+"-"+trig+".golden"), got)
		}
	}
}

// goldenNormaliser replaces the given literal strings (longest first), then
// 32-digit hex IDs, Unix-microsecond times and the remaining numbers that
// vary from run to run.
func goldenNormaliser(literals map[string]string) func([]byte) []byte {
	keys := make([]string, 0, len(literals))
	for k := range literals {
		keys = append(keys, k)
	}
	// Longest first, so that a path wins over a prefix of it.
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if len(keys[j]) > len(keys[i]) {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	rules := []struct {
		re   *regexp.Regexp
		with string
	}{
		{regexp.MustCompile(`[0-9a-f]{32}`), "<ID>"},
		{regexp.MustCompile(`\b1[0-9]{15}\b`), "<TIME>"},
		{regexp.MustCompile(`127\.0\.0\.1:[0-9]+`), "127.0.0.1:<PORT>"},
		{regexp.MustCompile(`"(conv|recvPort|requestId|bytes|durationMs|elapsed[A-Za-z]*)":[0-9.]+`), `"$1":<N>`},
	}
	return func(b []byte) []byte {
		s := string(b)
		for _, k := range keys {
			s = strings.ReplaceAll(s, k, literals[k])
		}
		for _, r := range rules {
			s = r.re.ReplaceAllString(s, r.with)
		}
		return []byte(s)
	}
}

// checkGolden compares got with the golden file path, or rewrites it under
// -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if updating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run with -update after checking):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}
