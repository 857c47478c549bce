package daemon_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/config"
	"github.com/jetstream-go/jetstream/daemon/daemontest"
)

// argsScript appends its arguments, one per line, to <its path>.out.
const argsScript = "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done >> \"$0.out\"\n"

// triggerDir makes a trigger directory holding executable scripts.
func triggerDir(t *testing.T, scripts map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range scripts {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// withTriggers configures triggers for daemontest.Start.
func withTriggers(dir, logPath string, onAPI bool, timeout time.Duration) daemontest.Option {
	return func(c *config.Server) {
		c.TriggerDir, c.TriggerLog, c.TriggerOnAPI, c.TriggerTimeout = dir, logPath, onAPI, timeout
	}
}

// waitFile waits (bounded) until path holds at least n lines and returns
// its content.
func waitFile(t *testing.T, path string, n int) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		b, _ := os.ReadFile(path)
		if strings.Count(string(b), "\n") >= n {
			return string(b)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d lines after 30s, want %d:\n%s", path, strings.Count(string(b), "\n"), n, b)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The launch trigger gets the real API port; on.<command> triggers get the
// documented four arguments, with the command name normalised and
// passwords redacted; the trigger log records the runs and no secret.
func TestTriggersLaunchAndAPICommands(t *testing.T) {
	t.Setenv("JETSTREAM_API_PASSWORD", "env-secret-42")
	dir := triggerDir(t, map[string]string{
		"launch":               "#!/bin/sh\necho \"JetStream server Launched on port \"$1 >> log.txt\nenv > launch.env\n",
		"on.auth":              argsScript,
		"on.echo":              argsScript,
		"on.lsAsync":           argsScript,
		"on.send.getTransfers": argsScript,
	})
	logPath := filepath.Join(t.TempDir(), "trigger.log")
	d := daemontest.Start(t, withTriggers(dir, logPath, true, 0))
	d.AddUser("alice", "pw-alice-1", false)
	out := func(name string) string { return filepath.Join(dir, name+".out") }

	c := d.Login("alice", "pw-alice-1")
	waitFile(t, out("on.auth"), 4)
	var echoed string
	if err := c.Call(bg, "echo", map[string]any{"text": "hi"}, &echoed); err != nil || echoed != "hi" {
		t.Fatalf("echo: %q %v", echoed, err)
	}
	waitFile(t, out("on.echo"), 4)
	if err := c.Call(bg, "server.echo", map[string]any{"text": `<&> "q"`}, nil); err != nil {
		t.Fatal(err)
	}
	waitFile(t, out("on.echo"), 8)
	badErr := c.Call(bg, "echo", map[string]any{"text": 5}, nil)
	var ae *api.Error
	if !errors.As(badErr, &ae) {
		t.Fatalf("echo with a number: %v", badErr)
	}
	waitFile(t, out("on.echo"), 12)
	lsDir := t.TempDir()
	var ref api.RequestRef
	if err := c.Call(bg, "server.lsAsync", map[string]any{"path": lsDir}, &ref); err != nil {
		t.Fatal(err)
	}
	waitFile(t, out("on.lsAsync"), 4)
	if err := c.Call(bg, "getTransfers", nil, nil); err != nil {
		t.Fatal(err)
	}
	waitFile(t, out("on.send.getTransfers"), 4)
	if err := c.Call(bg, "noSuchMethod", nil, nil); err == nil {
		t.Fatal("noSuchMethod succeeded")
	}
	d.Stop() // drains the trigger queue

	if got, want := readFile(t, filepath.Join(dir, "log.txt")), fmt.Sprintf("JetStream server Launched on port %d\n", d.Port); got != want {
		t.Errorf("launch log.txt = %q, want %q", got, want)
	}
	if env := readFile(t, filepath.Join(dir, "launch.env")); strings.Contains(env, "env-secret-42") || !strings.Contains(env, "PATH=") {
		t.Errorf("trigger environment leaks the API password or lacks PATH:\n%s", env)
	}
	for name, want := range map[string]string{
		"on.auth": `{"request":"auth","parameters":{"password":"********","userName":"alice"}}` + "\nsuccess\nOK\nnull\n",
		"on.echo": `{"request":"echo","parameters":{"text":"hi"}}` + "\nsuccess\nOK\n\"hi\"\n" +
			`{"request":"echo","parameters":{"text":"<&> \"q\""}}` + "\nsuccess\nOK\n" + `"<&> \"q\""` + "\n" +
			`{"request":"echo","parameters":{"text":5}}` + "\nerror\n" + ae.Message + "\nnull\n",
		"on.lsAsync": `{"request":"lsAsync","parameters":{"path":"` + lsDir + `"}}` + "\nsuccess\nOK\n" +
			fmt.Sprintf(`{"requestId":%d}`, ref.RequestID) + "\n",
		"on.send.getTransfers": `{"request":"send.getTransfers","parameters":{}}` + "\nsuccess\nOK\n",
	} {
		got := readFile(t, out(name))
		if name == "on.send.getTransfers" {
			// The result is the (empty) transfer list; pin the shape only.
			lines := strings.Split(got, "\n")
			if len(lines) != 5 || !json.Valid([]byte(lines[3])) {
				t.Errorf("%s: %q", name, got)
			}
			got = strings.Join(lines[:3], "\n") + "\n"
		}
		if got != want {
			t.Errorf("%s arguments:\n%s\nwant:\n%s", name, got, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "on.noSuchMethod.out")); err == nil {
		t.Error("a trigger ran for an unknown method")
	}
	log := readFile(t, logPath)
	for _, want := range []string{fmt.Sprintf(" run launch %d\n", d.Port), " end launch ", " run on.echo ", " end on.lsAsync "} {
		if !strings.Contains(log, want) {
			t.Errorf("trigger log lacks %q:\n%s", want, log)
		}
	}
	for _, secret := range []string{"pw-alice-1", "env-secret-42"} {
		if strings.Contains(log, secret) {
			t.Errorf("trigger log contains the secret %q", secret)
		}
	}
	if fi, err := os.Stat(logPath); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("trigger log mode: %v %v", fi.Mode(), err)
	}
}

// Without --trigger-on-api no on.<command> trigger runs.
func TestTriggersOnAPIOff(t *testing.T) {
	dir := triggerDir(t, map[string]string{"launch": argsScript, "on.echo": argsScript})
	d := daemontest.Start(t, withTriggers(dir, "", false, 0))
	d.AddUser("alice", "pw-alice-1", false)
	if err := d.Login("alice", "pw-alice-1").Call(bg, "echo", map[string]any{"text": "x"}, nil); err != nil {
		t.Fatal(err)
	}
	d.Stop()
	if got := readFile(t, filepath.Join(dir, "launch.out")); got != fmt.Sprintf("%d\n", d.Port) {
		t.Errorf("launch.out = %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "on.echo.out")); err == nil {
		t.Error("on.echo ran without --trigger-on-api")
	}
}

// A trigger that never exits blocks later triggers, never the API.
func TestHangingTriggerDoesNotDelayAPI(t *testing.T) {
	dir := triggerDir(t, map[string]string{
		"on.echo": "#!/bin/sh\necho \"start $3\" >> echo.out\n[ -e released ] || read x < gate\necho end >> echo.out\n",
	})
	gate := filepath.Join(dir, "gate")
	if err := syscall.Mkfifo(gate, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	d := daemontest.Start(t, withTriggers(dir, filepath.Join(t.TempDir(), "trigger.log"), true, 0))
	d.AddUser("alice", "pw-alice-1", false)
	c := d.Login("alice", "pw-alice-1")
	const calls = 20
	for i := range calls {
		ctx, cancel := context.WithTimeout(bg, 10*time.Second)
		err := c.Call(ctx, "echo", map[string]any{"text": strconv.Itoa(i)}, nil)
		cancel()
		if err != nil {
			t.Fatalf("echo %d while a trigger hangs: %v", i, err)
		}
	}
	if _, err := c.ServerInfo(bg); err != nil {
		t.Fatal(err)
	}
	if got := waitFile(t, filepath.Join(dir, "echo.out"), 1); got != "start OK\n" {
		t.Fatalf("echo.out while blocked = %q, want only the first start", got)
	}
	if err := os.WriteFile(filepath.Join(dir, "released"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(gate, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("go\n")
	f.Close()
	got := waitFile(t, filepath.Join(dir, "echo.out"), 2*calls)
	if want := strings.Repeat("start OK\nend\n", calls); got != want {
		t.Errorf("echo.out = %q", got)
	}
}

// --trigger-timeout kills a hanging trigger; later triggers run.
func TestTriggerTimeoutKillsIt(t *testing.T) {
	dir := triggerDir(t, map[string]string{
		"launch":  "#!/bin/sh\necho $$ > launch.pid\nexec sleep 1000\n",
		"on.echo": "#!/bin/sh\necho ran >> echo.out\n",
	})
	logPath := filepath.Join(t.TempDir(), "trigger.log")
	d := daemontest.Start(t, withTriggers(dir, logPath, true, time.Second))
	d.AddUser("alice", "pw-alice-1", false)
	if err := d.Login("alice", "pw-alice-1").Call(bg, "echo", map[string]any{"text": "x"}, nil); err != nil {
		t.Fatal(err)
	}
	waitFile(t, filepath.Join(dir, "echo.out"), 1)
	pid, err := strconv.Atoi(strings.TrimSpace(readFile(t, filepath.Join(dir, "launch.pid"))))
	if err != nil {
		t.Fatal(err)
	}
	if syscall.Kill(pid, 0) == nil {
		if b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); !strings.Contains(string(b), ") Z") {
			t.Errorf("timed-out trigger %d still runs", pid)
		}
	}
	if log := readFile(t, logPath); !strings.Contains(log, fmt.Sprintf(" end launch %d: status=killed: timeout 1s", d.Port)) {
		t.Errorf("trigger log:\n%s", log)
	}
}

// Triggers run one at a time even when many clients call at once.
func TestTriggersSerialUnderLoad(t *testing.T) {
	dir := triggerDir(t, map[string]string{
		"on.echo": "#!/bin/sh\necho \"start $1\" >> echo.out\necho \"end $1\" >> echo.out\n",
	})
	d := daemontest.Start(t, withTriggers(dir, "", true, 0))
	d.AddUser("alice", "pw-alice-1", false)
	const clients, each = 4, 20
	var wg sync.WaitGroup
	for g := range clients {
		c := d.Login("alice", "pw-alice-1")
		wg.Go(func() {
			for i := range each {
				if err := c.Call(bg, "echo", map[string]any{"text": fmt.Sprintf("%d-%d", g, i)}, nil); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSpace(waitFile(t, filepath.Join(dir, "echo.out"), 2*clients*each)), "\n")
	seen := map[string]bool{}
	for k := 0; k+1 < len(lines); k += 2 {
		payload := strings.TrimPrefix(lines[k], "start ")
		if lines[k+1] != "end "+payload {
			t.Fatalf("lines %d-%d overlap: %q, %q", k, k+1, lines[k], lines[k+1])
		}
		seen[payload] = true
	}
	if len(seen) != clients*each {
		t.Errorf("%d distinct runs, want %d", len(seen), clients*each)
	}
}

// A real server-to-server transfer starts the send-side and receive-side
// triggers, the product's example scripts among them, and the events behind
// them are in the event log.
func TestTriggersOnTransfer(t *testing.T) {
	srcDir := daemontest.OpenDir(t)
	sandbox := daemontest.OpenDir(t)
	recvScripts := map[string]string{
		"recv.transferStarted": "#!/bin/sh\necho \"$1 $2 $#\" > started.args\ncat > started.json\n",
		// reference/004, with the tab of its IFS restored.
		"recv.transferComplete": "#!/bin/sh\nwhile IFS=\"\t\" read -r manifest_file file_path || [ -n \"${manifest_file}\" ]; do\n" +
			"echo manifest file: ${manifest_file}, file path: ${file_path} >> log.txt\ndone\n",
		"recv.transferComplete.json": "#!/bin/sh\necho \"$1 $2 $#\" > complete.args\ncat > complete.json\n",
	}
	recvDir := triggerDir(t, recvScripts)
	sendDir := triggerDir(t, map[string]string{
		// reference/004 verbatim.
		"send.destinationCreated": "#!/bin/sh\necho \"Sender \"$2\" created destination \"$1 >> log.txt\n",
		"send.transferComplete":   argsScript,
	})
	a := daemontest.Start(t, withTriggers(sendDir, "", false, 0))
	b := daemontest.Start(t, daemontest.WithSandbox(filepath.Join(sandbox, "%u")), withTriggers(recvDir, "", false, 0))
	a.AddUser("alice", "pw-alice-1", true)
	b.AddUser("bob", "pw-bob-123", false)
	id := daemontest.BuiltinIdentity(t)
	daemontest.OwnedDir(t, filepath.Join(sandbox, "bob"), id)
	if err := os.MkdirAll(filepath.Join(srcDir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"one.txt", "two words.txt"} {
		if err := os.WriteFile(filepath.Join(srcDir, "data", f), []byte("content of "+f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	daemontest.ChownTree(t, srcDir, id)

	ca := a.Superuser("alice", "pw-alice-1")
	var dest api.Destination
	if err := ca.Call(bg, "send.createDestination", map[string]any{
		"destinationAddress": "127.0.0.1", "destinationApiPort": b.Port, "userName": "bob", "password": "pw-bob-123",
	}, &dest); err != nil {
		t.Fatal(err)
	}
	var m api.Manifest
	if err := ca.Call(bg, "send.createManifest", map[string]any{"fileMappings": []string{filepath.Join(srcDir, "data") + ":/in"}}, &m); err != nil {
		t.Fatal(err)
	}
	if err := ca.Call(bg, "send.waitForManifest", map[string]any{"manifestId": m.ManifestID, "timeoutSeconds": 30}, &m); err != nil {
		t.Fatal(err)
	}
	var tr api.Transfer
	if err := ca.Call(bg, "send.createTransfer", map[string]any{"destinationId": dest.DestinationID, "manifestId": m.ManifestID,
		"destinationPath": "/project", "userData": map[string]any{"job": "42"}}, &tr); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for tr.Status == "" || tr.Status == api.TransferPending || tr.Status == api.TransferActive {
		if time.Now().After(deadline) {
			t.Fatalf("transfer did not finish: %+v", tr)
		}
		time.Sleep(50 * time.Millisecond)
		var err error
		if tr, err = ca.Transfer(bg, tr.TransferID); err != nil {
			t.Fatal(err)
		}
	}
	if tr.Status != api.TransferComplete {
		t.Fatalf("transfer ended %s", tr.Status)
	}
	// The event log has the events behind the triggers; filters apply.
	evs, err := ca.EventLog(bg, map[string]any{"eventName": "destinationCreated"})
	if err != nil || len(evs) != 1 {
		t.Fatalf("event log destinationCreated: %v %v", evs, err)
	}
	destAddr, _ := evs[0].Fields["destinationAddress"].(string)
	clientAddr, _ := evs[0].Fields["clientAddress"].(string)
	if destAddr == "" || clientAddr == "" {
		t.Fatalf("destinationCreated fields: %v", evs[0].Fields)
	}
	started, err := ca.EventLog(bg, map[string]any{"eventName": "serverStarted", "limit": 1})
	if err != nil || len(started) != 1 || started[0].Fields["apiPort"] != float64(a.Port) {
		t.Fatalf("event log serverStarted: %v %v", started, err)
	}
	// The transfer's end events are emitted after its status changes:
	// wait for the triggers (asynchronous by definition) before stopping.
	waitFile(t, filepath.Join(sendDir, "send.transferComplete.out"), 2)
	waitFile(t, filepath.Join(recvDir, "complete.args"), 1)
	waitFile(t, filepath.Join(recvDir, "log.txt"), 2)
	a.Stop()
	b.Stop()

	if got, want := readFile(t, filepath.Join(sendDir, "log.txt")), "Sender "+clientAddr+" created destination "+destAddr+"\n"; got != want {
		t.Errorf("send.destinationCreated log.txt = %q, want %q", got, want)
	}
	if got, want := readFile(t, filepath.Join(sendDir, "send.transferComplete.out")), tr.TransferID+"\nalice\n"; got != want {
		t.Errorf("send.transferComplete args = %q, want %q", got, want)
	}
	startedArgs := readFile(t, filepath.Join(recvDir, "started.args"))
	if !strings.HasSuffix(startedArgs, " bob 2\n") {
		t.Errorf("recv.transferStarted args = %q", startedArgs)
	}
	recvID := strings.Fields(startedArgs)[0]
	var meta map[string]any
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(recvDir, "started.json"))), &meta); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"inputFiles", "outputFiles", "userData"} {
		if _, ok := meta[k]; !ok {
			t.Errorf("recv.transferStarted stdin lacks %s: %v", k, meta)
		}
	}
	if got := readFile(t, filepath.Join(recvDir, "complete.args")); got != recvID+" bob 2\n" {
		t.Errorf("recv.transferComplete.json args = %q, want %q", got, recvID+" bob 2")
	}
	landed := filepath.Join(sandbox, "bob", "project", "in")
	var doc struct {
		InputFiles  []string       `json:"inputFiles"`
		OutputFiles []string       `json:"outputFiles"`
		UserData    map[string]any `json:"userData"`
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(recvDir, "complete.json"))), &doc); err != nil {
		t.Fatal(err)
	}
	wantOut := map[string]bool{filepath.Join(landed, "one.txt"): true, filepath.Join(landed, "two words.txt"): true}
	if len(doc.OutputFiles) != 2 || !wantOut[doc.OutputFiles[0]] || !wantOut[doc.OutputFiles[1]] || len(doc.InputFiles) != 2 {
		t.Errorf("recv.transferComplete.json stdin: %+v", doc)
	}
	list := readFile(t, filepath.Join(recvDir, "log.txt"))
	for i, in := range doc.InputFiles {
		if line := "manifest file: " + in + ", file path: " + doc.OutputFiles[i] + "\n"; !strings.Contains(list, line) {
			t.Errorf("recv.transferComplete log.txt lacks %q:\n%s", line, list)
		}
	}
	if strings.Count(list, "\n") != 2 {
		t.Errorf("recv.transferComplete log.txt:\n%s", list)
	}
}

// Many triggers queued behind a blocked one run afterwards in the order of
// their commands (#7 tests: ordering under load).
func TestTriggersKeepOrderWhenQueued(t *testing.T) {
	dir := triggerDir(t, map[string]string{
		"on.echo": "#!/bin/sh\n[ -e released ] || read x < gate\nprintf '%s\\n' \"$1\" >> order.txt\n",
	})
	gate := filepath.Join(dir, "gate")
	if err := syscall.Mkfifo(gate, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	d := daemontest.Start(t, withTriggers(dir, "", true, 0))
	d.AddUser("alice", "pw-alice-1", false)
	c := d.Login("alice", "pw-alice-1")
	const calls = 300
	var want strings.Builder
	for i := range calls {
		if err := c.Call(bg, "echo", map[string]any{"text": strconv.Itoa(i)}, nil); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&want, `{"request":"echo","parameters":{"text":"%d"}}`+"\n", i)
	}
	if _, err := os.Stat(filepath.Join(dir, "order.txt")); err == nil {
		t.Fatal("a trigger ran while the first one was blocked")
	}
	if err := os.WriteFile(filepath.Join(dir, "released"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(gate, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("go\n")
	f.Close()
	if got := waitFile(t, filepath.Join(dir, "order.txt"), calls); got != want.String() {
		t.Errorf("order.txt:\n%s\nwant:\n%s", got, want.String())
	}
}
