package e2e

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/daemon/store"
)

var (
	bg     = context.Background()
	binary string // the jetstream binary under test
)

// TestMain builds cmd/jetstream once for the whole run.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "jetstream-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "jetstream")
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go") // the toolchain running this test
	if _, err := os.Stat(gobin); err != nil {
		gobin = "go"
	}
	cmd := exec.Command(gobin, "build", "-o", binary, "github.com/jetstream-go/jetstream/cmd/jetstream")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build jetstream:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// daemon is one `jetstream server` process with its own state directory.
type daemon struct {
	t          *testing.T
	name       string
	dir        string // state, triggers, log, known_hosts
	sandbox    string // --sandbox-dir ("" for none)
	apiPort    int    // learned from the log on the first start, fixed after
	knownHosts string
	cmd        *exec.Cmd
	exited     chan struct{}
	logPath    string
	starts     int
}

// startDaemon creates the built-in accounts (name → password) and starts a
// daemon that is killed when the test ends.
func startDaemon(t *testing.T, name, sandbox string, users map[string]string) *daemon {
	t.Helper()
	dir := t.TempDir()
	d := &daemon{t: t, name: name, dir: dir, sandbox: sandbox, knownHosts: filepath.Join(dir, "client_known_hosts")}
	for u, pw := range users {
		if err := store.AddAccount(d.stateDir(), u, pw, false); err != nil {
			t.Fatalf("%s: add account %s: %v", name, u, err)
		}
	}
	d.start()
	t.Cleanup(d.kill)
	return d
}

func (d *daemon) stateDir() string { return filepath.Join(d.dir, "state") }

var listenRE = regexp.MustCompile(`msg="API listening" addr=127\.0\.0\.1:(\d+)`)

func (d *daemon) start() {
	d.t.Helper()
	d.starts++
	d.logPath = filepath.Join(d.dir, fmt.Sprintf("server.%d.log", d.starts))
	args := []string{"server", "--api-host", "127.0.0.1", "--api-port", strconv.Itoa(d.apiPort),
		"--recv-port", "0", "--persistent-state-dir", d.stateDir(), "--trigger-dir", filepath.Join(d.dir, "triggers"),
		"--log", d.logPath, "--log-level", "info"}
	if d.sandbox != "" {
		args = append(args, "--sandbox-dir", d.sandbox)
	}
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "HOME="+d.dir, "XDG_CONFIG_HOME="+filepath.Join(d.dir, "config"))
	out, err := os.Create(filepath.Join(d.dir, fmt.Sprintf("stderr.%d", d.starts)))
	if err != nil {
		d.t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		d.t.Fatalf("%s: start: %v", d.name, err)
	}
	out.Close()
	d.cmd = cmd
	d.exited = make(chan struct{})
	go func() { cmd.Wait(); close(d.exited) }()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if port := d.listeningPort(); port != 0 {
			if d.apiPort != 0 && port != d.apiPort {
				d.t.Fatalf("%s: restarted on port %d, want %d", d.name, port, d.apiPort)
			}
			d.apiPort = port
			return
		}
		select {
		case <-d.exited:
			d.t.Fatalf("%s: server exited at start: %s", d.name, d.output())
		case <-time.After(20 * time.Millisecond):
		}
	}
	d.t.Fatalf("%s: server did not report its API address: %s", d.name, d.output())
}

func (d *daemon) listeningPort() int {
	f, err := os.Open(d.logPath)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m := listenRE.FindStringSubmatch(sc.Text()); m != nil {
			p, _ := strconv.Atoi(m[1])
			return p
		}
	}
	return 0
}

// output returns the server's log and standard error (for failure messages).
func (d *daemon) output() string {
	var b strings.Builder
	for i := 1; i <= d.starts; i++ {
		for _, n := range []string{fmt.Sprintf("server.%d.log", i), fmt.Sprintf("stderr.%d", i)} {
			if data, err := os.ReadFile(filepath.Join(d.dir, n)); err == nil && len(data) > 0 {
				fmt.Fprintf(&b, "\n--- %s %s ---\n%s", d.name, n, tail(string(data), 4000))
			}
		}
	}
	return b.String()
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// kill9 kills the server with SIGKILL and waits for it (idempotent).
func (d *daemon) kill9() {
	if d.cmd == nil {
		return
	}
	_ = d.cmd.Process.Signal(syscall.SIGKILL)
	<-d.exited
	d.cmd = nil
}

// stop shuts the server down with SIGTERM (SIGKILL after 15 s).
func (d *daemon) stop() {
	if d.cmd == nil {
		return
	}
	_ = d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.exited:
	case <-time.After(15 * time.Second):
		d.t.Errorf("%s: did not stop on SIGTERM; killing", d.name)
		_ = d.cmd.Process.Signal(syscall.SIGKILL)
		<-d.exited
	}
	d.cmd = nil
}

func (d *daemon) kill() {
	if d.t.Failed() {
		d.t.Log(d.output())
	}
	d.kill9()
}

// login dials the API and authenticates; the client closes with the test.
func (d *daemon) login(user, password string) *client.Client {
	d.t.Helper()
	var c *client.Client
	var err error
	for range 50 { // the listener is up once the log says so; retry a refused dial briefly anyway
		c, err = client.Dial(bg, client.Options{Host: "127.0.0.1", Port: d.apiPort, KnownHosts: d.knownHosts})
		if err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		d.t.Fatalf("%s: dial: %v%s", d.name, err, d.output())
	}
	d.t.Cleanup(func() { c.Close() })
	if err := c.Auth(bg, user, password); err != nil {
		d.t.Fatalf("%s: auth %s: %v", d.name, user, err)
	}
	return c
}

// skipShort skips the slow, rate-limited cases under -short (make test-short).
func skipShort(t *testing.T) {
	if testing.Short() {
		t.Skip("rate-limited transfer of several seconds; skipped with -short")
	}
}
