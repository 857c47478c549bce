package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/daemon/daemontest"
	"github.com/jetstream-go/jetstream/net/engine"
	"github.com/jetstream-go/jetstream/net/pacer"
	"github.com/jetstream-go/jetstream/net/wire"
)

// memSource is a hostile sender's file list: any target paths, data from memory.
type memSource struct {
	files []memFile
	next  int
}

type memFile struct {
	path string
	data []byte
}

func (m *memSource) Next(max int) ([]engine.FileMeta, error) {
	if m.next >= len(m.files) {
		return nil, io.EOF
	}
	var out []engine.FileMeta
	for ; m.next < len(m.files) && len(out) < max; m.next++ {
		f := m.files[m.next]
		out = append(out, engine.FileMeta{Index: m.next, Path: f.path, Size: int64(len(f.data)), Mode: 0o644,
			Mtime: time.Unix(1700000000, 0)})
	}
	return out, nil
}

func (m *memSource) Open(f engine.FileMeta) (engine.SourceReader, error) {
	return memReader{bytes.NewReader(m.files[f.Index].data)}, nil
}

type memReader struct{ *bytes.Reader }

func (memReader) Check() error { return nil }
func (memReader) Close() error { return nil }

// results collects per-file outcomes.
type results struct {
	mu sync.Mutex
	by map[string]engine.FileResult
}

func (r *results) FileDone(fr engine.FileResult) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.by == nil {
		r.by = map[string]engine.FileResult{}
	}
	r.by[fr.Path] = fr
}

func (r *results) get(path string) (engine.FileResult, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fr, ok := r.by[path]
	return fr, ok
}

// hostileSend asks B for a receive ticket as bob and sends src to it from
// an engine endpoint of the test's own, through fw when it is not nil.
func hostileSend(t *testing.T, c *client.Client, recvPort int, fw *forwarder, src engine.Source, obs engine.Observer, opts engine.SendOptions) (*engine.Session, api.Ticket) {
	t.Helper()
	var tk api.Ticket
	if err := c.Call(bg, "recv.createTicket", map[string]any{"transferKey": "hostile-" + randName(),
		"destinationPath": "/in", "minCipher": api.CipherAES128, "checkpointFrequencySeconds": 1}, &tk); err != nil {
		t.Fatalf("createTicket: %v", err)
	}
	ep, err := engine.Listen("127.0.0.1:0", engine.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ep.Close() })
	port := tk.RecvPort
	if fw != nil {
		port = fw.port()
	}
	ctx, cancel := context.WithTimeout(bg, 20*time.Second)
	defer cancel()
	sess, err := ep.Connect(ctx, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port},
		engine.Ticket{Conv: tk.Conv, Cipher: engine.Cipher(tk.Cipher), Key: tk.Key, TransferKey: tk.TransferKey},
		engine.Side{Source: src, Observer: obs, Send: opts})
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	return sess, tk
}

// bobReceiver starts a daemon whose built-in user bob lands files in home
// (his sandbox) and returns bob's logged-in client.
func bobReceiver(t *testing.T) (home string, c *client.Client) {
	t.Helper()
	root := daemontest.OpenDir(t)
	id := daemontest.BuiltinIdentity(t)
	home = daemontest.OwnedDir(t, filepath.Join(root, "bob"), id)
	b := startDaemon(t, "receiver", filepath.Join(root, "%u"), map[string]string{"bob": bobPW})
	return home, b.login("bob", bobPW)
}

func randName() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	return n.Text(36)
}

func waitSession(t *testing.T, s *engine.Session) error {
	t.Helper()
	select {
	case <-s.Done():
		return s.Err()
	case <-time.After(60 * time.Second):
		t.Fatal("session did not end")
		return nil
	}
}

// snapshot lists the files below dir, except below skip.
func snapshot(t *testing.T, dir, skip string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
		if err != nil {
			return nil
		}
		if path == skip {
			return filepath.SkipDir
		}
		out[path] = true
		return nil
	})
	return out
}

// TestHostileSenderPaths: a sender with a valid ticket names target paths
// that escape the sandbox. Each is refused, nothing is written outside the
// user's sandbox, and the honest file of the same transfer lands.
func TestHostileSenderPaths(t *testing.T) {
	root := daemontest.OpenDir(t)
	id := daemontest.BuiltinIdentity(t)
	home := daemontest.OwnedDir(t, filepath.Join(root, "bob"), id)
	outside := daemontest.OwnedDir(t, filepath.Join(root, "outside"), id)
	daemontest.OwnedDir(t, filepath.Join(home, "in"), id)
	if err := os.Symlink(outside, filepath.Join(home, "in", "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(home, "uplink")); err != nil {
		t.Fatal(err)
	}
	b := startDaemon(t, "receiver", filepath.Join(root, "%u"), map[string]string{"bob": bobPW})
	c := b.login("bob", bobPW)
	abs := filepath.Join(os.TempDir(), "jetstream-hostile-"+randName())
	escapes := []string{
		"../../escape-up.txt",
		"../../../../../../../../../.." + abs,
		"a/../../../escape-dotdot.txt",
		"link/through-link.txt",
		"../uplink/through-uplink.txt",
		"link",          // replace the link itself
		"./../../x.txt", // leading ./
		"sub/\x00nul",
	}
	src := &memSource{files: []memFile{{"ok.txt", []byte("honest data")}}}
	for _, p := range escapes {
		src.files = append(src.files, memFile{p, []byte("hostile data for " + p)})
	}
	src.files = append(src.files, memFile{abs, []byte("absolute path")})
	before := snapshot(t, root, home)
	obs := &results{}
	si, err := c.ServerInfo(bg)
	if err != nil {
		t.Fatal(err)
	}
	sess, _ := hostileSend(t, c, si.Receiver.RecvPort, nil, src, obs, engine.SendOptions{})
	t.Logf("session ended: %v", waitSession(t, sess))

	if got, err := os.ReadFile(filepath.Join(home, "in", "ok.txt")); err != nil || string(got) != "honest data" {
		t.Errorf("honest file: %q, %v", got, err)
	}
	for _, p := range escapes {
		fr, ok := obs.get(p)
		switch {
		case !ok:
			t.Errorf("%q: no outcome reported", p)
		case fr.Err == nil:
			t.Errorf("%q: accepted (landed at %s)", p, fr.HostPath)
		case engine.CodeOf(fr.Err) != engine.CodePathRefused:
			t.Errorf("%q: failed with %v, want path_refused", p, fr.Err)
		}
	}
	// An absolute target path is relative to the destination path (the
	// product's path table): inside the sandbox, or refused.
	if fr, ok := obs.get(abs); !ok {
		t.Errorf("%q: no outcome reported", abs)
	} else if fr.Err == nil {
		if got, err := os.ReadFile(filepath.Join(home, "in", abs)); err != nil || string(got) != "absolute path" {
			t.Errorf("absolute target %q accepted but not below the destination path: %q, %v", abs, got, err)
		}
	}
	if _, err := os.Stat(abs); err == nil {
		os.Remove(abs)
		t.Errorf("a file was written at the absolute path %s", abs)
	}
	after := snapshot(t, root, home)
	for p := range after {
		if !before[p] {
			t.Errorf("written outside the sandbox: %s", p)
		}
	}
	if fi, err := os.Lstat(filepath.Join(home, "in", "link")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link in the sandbox was replaced: %v", err)
	}
}

// TestHostileDatagrams: garbage, truncated, unknown-conversation, wrong-key
// and replayed datagrams reach the daemon's UDP port while a transfer runs.
// All are dropped and counted (getServerInfo receiver.dataPort), and the
// transfer completes byte-identical.
func TestHostileDatagrams(t *testing.T) {
	home, c := bobReceiver(t)
	si, err := c.ServerInfo(bg)
	if err != nil {
		t.Fatal(err)
	}
	if si.Receiver.DataPort == nil {
		t.Fatal("getServerInfo shows no data port counters to a logged-in user")
	}
	before := *si.Receiver.DataPort
	daemonAddr := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: si.Receiver.RecvPort}
	fw := startForwarder(t, daemonAddr, 400)
	data := make([]byte, 6<<20)
	rand.Read(data)
	src := &memSource{files: []memFile{{"payload.bin", data}}}
	obs := &results{}
	// 2 MB/s: the transfer takes about 3 s, long enough to attack it.
	sess, tk := hostileSend(t, c, 0, fw, src, obs, engine.SendOptions{MaxRate: 2e6, Policy: pacer.Fixed})

	bad, err := net.DialUDP("udp4", nil, daemonAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()
	const n = 200
	for i := range n {
		g := make([]byte, 1+i*7%1400) // garbage of many sizes
		rand.Read(g)
		g[0] = 0 // never the magic
		bad.Write(g)
		bad.Write(g[:min(len(g), i%wire.HeaderLen)]) // truncated
		// A well-formed header for a conversation that does not exist.
		bad.Write(wire.AppendHeader(nil, wire.Header{Type: wire.TypeData, Conv: tk.Conv ^ 0x5a5a5a5a, PN: uint64(i)}))
		// The live conversation, sealed with a key we do not have.
		forged := wire.AppendHeader(nil, wire.Header{Type: wire.TypeData, Conv: tk.Conv, PN: 1<<40 + uint64(i)})
		bad.Write(append(forged, g...))
	}
	time.Sleep(500 * time.Millisecond) // let some real traffic be captured
	replayed := fw.replay()
	if err := waitSession(t, sess); err != nil {
		t.Fatalf("transfer under attack failed: %v", err)
	}
	if got, err := os.ReadFile(filepath.Join(home, "in", "payload.bin")); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("payload: %d bytes, %v; want %d identical bytes", len(got), err, len(data))
	}
	si, err = c.ServerInfo(bg)
	if err != nil {
		t.Fatalf("daemon stopped answering: %v", err)
	}
	after := *si.Receiver.DataPort
	t.Logf("dataPort before %+v", before)
	t.Logf("dataPort after  %+v (replayed %d)", after, replayed)
	for _, chk := range []struct {
		name      string
		got, want uint64
	}{
		{"droppedBadHeader", after.DroppedBadHeader - before.DroppedBadHeader, 2 * n * 9 / 10},
		{"droppedUnknownConv", after.DroppedUnknownConv - before.DroppedUnknownConv, n},
		{"droppedAuth", after.DroppedAuth - before.DroppedAuth, n},
		{"droppedReplay", after.DroppedReplay - before.DroppedReplay, uint64(replayed) * 9 / 10},
	} {
		if chk.got < chk.want {
			t.Errorf("%s grew by %d, want at least %d", chk.name, chk.got, chk.want)
		}
	}
	if replayed == 0 {
		t.Error("nothing was captured to replay")
	}
	// And it keeps serving: a second honest transfer works.
	src2 := &memSource{files: []memFile{{"second.txt", []byte("still serving")}}}
	sess2, _ := hostileSend(t, c, si.Receiver.RecvPort, nil, src2, &results{}, engine.SendOptions{})
	if err := waitSession(t, sess2); err != nil && !errors.Is(err, io.EOF) {
		t.Fatalf("second transfer: %v", err)
	}
	if got, err := os.ReadFile(filepath.Join(home, "in", "second.txt")); err != nil || string(got) != "still serving" {
		t.Fatalf("second transfer landed %q, %v", got, err)
	}
}
