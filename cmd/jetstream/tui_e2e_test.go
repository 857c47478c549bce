package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/jetstream-go/jetstream/daemon/daemontest"
	"github.com/jetstream-go/jetstream/tui"
)

// e2eTimeout bounds each wait on the screen.
const e2eTimeout = 20 * time.Second

// TestTUIEndToEnd drives the real TUI (built by `jetstream tui`'s own
// option code: DialConnector, daemon/client, direct uploads over net/peer)
// against a real daemon: it connects, uploads a file and a directory tree
// with F5, watches the transfers view until the row is complete, sees the
// server's pane reload by itself, downloads the file back under
// a new name through the overwrite/skip/rename dialog, and checks the bytes
// that landed on both sides.
func TestTUIEndToEnd(t *testing.T) {
	lipgloss.SetColorProfile(termenv.Ascii)
	root := daemontest.OpenDir(t)
	box := daemontest.OwnedDir(t, filepath.Join(root, "box"), daemontest.BuiltinIdentity(t))
	daemontest.OwnedDir(t, filepath.Join(box, "incoming"), daemontest.BuiltinIdentity(t))
	d := daemontest.Start(t, daemontest.WithSandbox(box))
	d.AddUser("alice", "pw-alice-1", false)

	local := t.TempDir()
	payload := make([]byte, 3<<20+12345)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range payload {
		payload[i] = byte(rng.Uint32())
	}
	if err := os.WriteFile(filepath.Join(local, "payload.bin"), payload, 0o644); err != nil {
		t.Fatal(err)
	}
	// A directory tree goes along: a nested file and an empty directory.
	if err := os.MkdirAll(filepath.Join(local, "tree", "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(local, "tree", "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(local, "tree", "sub", "note.txt"), []byte("nested\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("JETSTREAM_API_PASSWORD", "pw-alice-1")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir()) // no saved locations of the machine's user
	target := "alice@127.0.0.1:" + strconv.Itoa(d.Port)

	ran := false
	tuiRunHook = func(ctx context.Context, opts tui.Options) error {
		ran = true
		m, err := tui.New(ctx, opts)
		if err != nil {
			return err
		}
		defer m.Close()
		tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30))
		// The remote pane opens the sandbox's only root by itself; the
		// status line tells that the server's certificate was pinned.
		waitScreen(t, tm, target, "First connection to", "incoming/")
		tm.Send(tea.KeyMsg{Type: tea.KeyTab}) // to the local pane
		waitScreen(t, tm, "payload.bin", "tree/")
		tm.Send(tea.KeyMsg{Type: tea.KeyCtrlA}) // mark both
		tm.Send(tea.KeyMsg{Type: tea.KeyF5})
		waitScreen(t, tm, "queued upload of 2 item(s)", "transfer up-1")
		tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("3")})
		waitLine(t, tm, `up-1 +complete .*100%`)

		// Download it back: the name clashes, so rename it on the way.
		// The completed upload reloaded the panes: the file shows there.
		tm.Send(keyRunes("2"))
		waitScreen(t, tm, "3 items")
		tm.Send(tea.KeyMsg{Type: tea.KeyTab}) // to the server's pane
		tm.Send(keyRunes("G"))                // incoming/, tree/, payload.bin
		tm.Send(tea.KeyMsg{Type: tea.KeyF5})
		waitScreen(t, tm, "Overwrite?", "payload.bin already exists")
		tm.Send(keyRunes("r"))
		waitScreen(t, tm, "payload (1).bin")
		tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
		waitScreen(t, tm, "queued download of 1 item(s)", "transfer down-2")
		tm.Send(keyRunes("3"))
		waitLine(t, tm, `down-2 +complete .*100%`)
		tm.Send(keyRunes("enter")) // details of down-2
		waitScreen(t, tm, "payload.bin → ")
		if testing.Verbose() {
			t.Logf("transfers screen:\n%s", ansi.Strip(m.View()))
		}
		tm.Send(keyRunes("q"))
		tm.WaitFinished(t, teatest.WithFinalTimeout(e2eTimeout))
		return nil
	}
	t.Cleanup(func() { tuiRunHook = nil })

	var out, errb bytes.Buffer
	code := run([]string{"tui", "--known-hosts", d.KnownHosts, "--local-dir", local, target}, strings.NewReader(""), &out, &errb)
	if code != exitOK || !ran {
		t.Fatalf("jetstream tui: exit %d (hook ran: %v); stderr: %s", code, ran, errb.String())
	}
	got, err := os.ReadFile(filepath.Join(box, "payload.bin"))
	if err != nil {
		t.Fatalf("the upload did not land in the sandbox: %v", err)
	}
	if !bytes.Equal(got, payload) {
		t.Fatalf("landed file differs: %d bytes, want %d", len(got), len(payload))
	}
	if got, err := os.ReadFile(filepath.Join(box, "tree", "sub", "note.txt")); err != nil || string(got) != "nested\n" {
		t.Fatalf("nested file: %q, %v", got, err)
	}
	if fi, err := os.Stat(filepath.Join(box, "tree", "empty")); err != nil || !fi.IsDir() {
		t.Fatalf("empty directory not recreated: %v", err)
	}
	back, err := os.ReadFile(filepath.Join(local, "payload (1).bin"))
	if err != nil {
		t.Fatalf("the download did not land: %v", err)
	}
	if !bytes.Equal(back, payload) {
		t.Fatalf("downloaded file differs: %d bytes, want %d", len(back), len(payload))
	}
	if orig, err := os.ReadFile(filepath.Join(local, "payload.bin")); err != nil || !bytes.Equal(orig, payload) {
		t.Fatalf("the local original was touched: %v", err)
	}
}

func keyRunes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

// waitLine waits until one drawn line matches the regular expression.
func waitLine(t *testing.T, tm *teatest.TestModel, expr string) {
	t.Helper()
	re := regexp.MustCompile(expr)
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, l := range strings.Split(ansi.Strip(string(b)), "\n") {
			if re.MatchString(l) {
				return true
			}
		}
		return false
	}, teatest.WithDuration(e2eTimeout), teatest.WithCheckInterval(20*time.Millisecond))
}

// waitScreen waits until the program has drawn every string (bounded).
func waitScreen(t *testing.T, tm *teatest.TestModel, subs ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, s := range subs {
			if !bytes.Contains(b, []byte(s)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(e2eTimeout), teatest.WithCheckInterval(20*time.Millisecond))
}

// TestTUIServerToServerEndToEnd opens two real daemons from saved
// locations (the second in the left pane, with its password typed into the
// masked prompt), copies a file from one to the other with F5 (queued on
// the sending daemon through send.createDestination, createManifest and
// createTransfer), follows the transfer to completion in the transfers
// view, and checks the bytes on the receiving daemon.
func TestTUIServerToServerEndToEnd(t *testing.T) {
	lipgloss.SetColorProfile(termenv.Ascii)
	id := daemontest.BuiltinIdentity(t)
	root := daemontest.OpenDir(t)
	boxA := daemontest.OwnedDir(t, filepath.Join(root, "a"), id)
	boxB := daemontest.OwnedDir(t, filepath.Join(root, "b"), id)
	daemontest.OwnedDir(t, filepath.Join(boxB, "inbox"), id)
	payload := bytes.Repeat([]byte("jetstream server to server\n"), 80_000)
	if err := os.WriteFile(filepath.Join(boxA, "report.bin"), payload, 0o644); err != nil {
		t.Fatal(err)
	}
	daemontest.ChownTree(t, boxA, id)
	a := daemontest.Start(t, daemontest.WithSandbox(boxA))
	a.AddUser("alice", "pw-alice-1", false)
	b := daemontest.Start(t, daemontest.WithSandbox(boxB))
	b.AddUser("bob", "pw-bob-123", false)

	cfgHome := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfgHome)
	cfg := fmt.Sprintf("[hosts.alpha]\naddress = \"127.0.0.1\"\napi-port = %d\nuser = \"alice\"\n\n"+
		"[hosts.beta]\naddress = \"127.0.0.1\"\napi-port = %d\nuser = \"bob\"\n", a.Port, b.Port)
	if err := os.MkdirAll(filepath.Join(cfgHome, "jetstream"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfgHome, "jetstream", "config.toml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("JETSTREAM_API_PASSWORD", "pw-alice-1")

	tuiRunHook = func(ctx context.Context, opts tui.Options) error {
		m, err := tui.New(ctx, opts)
		if err != nil {
			return err
		}
		defer m.Close()
		tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30))
		waitScreen(t, tm, "report.bin")
		tm.Send(keyRunes("1"))
		tm.Send(keyRunes("G")) // local, alpha, beta: the last
		tm.Send(keyRunes("o")) // open in the left pane
		waitScreen(t, tm, "Password of bob")
		tm.Send(keyRunes("pw-bob-123"))
		tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
		waitScreen(t, tm, "inbox/", "beta | alpha")
		tm.Send(tea.KeyMsg{Type: tea.KeyTab}) // to alpha's pane
		tm.Send(tea.KeyMsg{Type: tea.KeyF5})
		waitScreen(t, tm, "queued server-to-server of 1 item(s) on alpha")
		tm.Send(keyRunes("3"))
		waitLine(t, tm, `complete .*100%`)
		tm.Send(keyRunes("q"))
		tm.WaitFinished(t, teatest.WithFinalTimeout(e2eTimeout))
		return nil
	}
	t.Cleanup(func() { tuiRunHook = nil })

	var out, errb bytes.Buffer
	code := run([]string{"tui", "--known-hosts", filepath.Join(t.TempDir(), "known_hosts"), "alpha"}, strings.NewReader(""), &out, &errb)
	if code != exitOK {
		t.Fatalf("jetstream tui: exit %d; stderr: %s", code, errb.String())
	}
	got, err := os.ReadFile(filepath.Join(boxB, "report.bin"))
	if err != nil || !bytes.Equal(got, payload) {
		t.Fatalf("on the receiving daemon: %d bytes, err %v; want %d bytes", len(got), err, len(payload))
	}
}
