package peer_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/daemontest"
	"github.com/jetstream-go/jetstream/fsops"
	"github.com/jetstream-go/jetstream/net/engine"
	"github.com/jetstream-go/jetstream/net/peer"
)

type observer struct {
	mu  sync.Mutex
	res []engine.FileResult
}

func (o *observer) FileDone(r engine.FileResult) {
	o.mu.Lock()
	o.res = append(o.res, r)
	o.mu.Unlock()
}

// TestUploadDownload sends a file to a daemon and fetches it back, with
// every cipher level.
func TestUploadDownload(t *testing.T) {
	box := daemontest.OpenDir(t)
	d := daemontest.Start(t, daemontest.WithSandbox(box))
	d.AddUser("alice", "pw-alice-1", false)
	daemontest.OwnedDir(t, box, daemontest.BuiltinIdentity(t))
	cl := d.Login("alice", "pw-alice-1")
	src := filepath.Join(t.TempDir(), "data.bin")
	data := bytes.Repeat([]byte("jetstream peer "), 20000)
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(src)
	for _, cipher := range []int{0, peer.CipherNone, api.CipherAuthOnly, api.CipherAES256} {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		obs := &observer{}
		var wrapped bool
		o := peer.UploadOptions{Options: peer.Options{Client: cl, Host: "127.0.0.1", Cipher: cipher,
			TransferKey: "peer-test-up", Observer: obs, ProgressEvery: 10 * time.Millisecond},
			DestinationPath: "/in", Overwrite: api.OverwriteAlways,
			WrapSource: func(s engine.Source) engine.Source { wrapped = true; return s }}
		st, err := peer.Upload(ctx, o, []engine.SourceFile{{LocalPath: src, TargetPath: "/data.bin",
			Size: fi.Size(), Mode: 0o644, Mtime: fi.ModTime()}})
		if err != nil || st.BytesAcked != int64(len(data)) || len(obs.res) != 1 || obs.res[0].Err != nil || !wrapped {
			t.Fatalf("cipher %d: upload stats %+v, results %+v, wrapped %v: %v", cipher, st, obs.res, wrapped, err)
		}
		got, err := os.ReadFile(filepath.Join(box, "in", "data.bin"))
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("cipher %d: landed %d bytes, %v", cipher, len(got), err)
		}
		down := t.TempDir()
		lbox, err := fsops.NewSandbox(map[string]string{"": down}, "")
		if err != nil {
			t.Fatal(err)
		}
		sink, err := engine.NewDiskSink(engine.DiskSinkConfig{
			Land: func(p string) (string, error) { return lbox.LandingPath("", p) }, Overwrite: api.OverwriteAlways})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := peer.Download(ctx, peer.Options{Client: cl, Host: "127.0.0.1", Cipher: cipher},
			map[string]string{"/in/data.bin": "/back.bin"}, sink); err != nil {
			t.Fatalf("cipher %d: download: %v", cipher, err)
		}
		if got, err := os.ReadFile(filepath.Join(down, "back.bin")); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("cipher %d: downloaded %d bytes, %v", cipher, len(got), err)
		}
		cancel()
	}
}

// TestTicketRefused: API errors from createTicket come back unchanged.
func TestTicketRefused(t *testing.T) {
	d := daemontest.Start(t)
	d.AddUser("alice", "pw-alice-1", false)
	cl := d.Login("alice", "pw-alice-1")
	ctx := context.Background()
	_, err := peer.Upload(ctx, peer.UploadOptions{Options: peer.Options{Client: cl, Host: "127.0.0.1",
		TransferKey: "bad/key"}}, nil)
	if api.CodeOf(err) != api.CodeInvalidParameter {
		t.Fatalf("upload with a bad transfer key: %v", err)
	}
	_, err = peer.Download(ctx, peer.Options{Client: cl, Host: "127.0.0.1", Policy: "greedy"},
		map[string]string{"/nonexistent": "/x"}, nil)
	if err == nil {
		t.Fatal("download of a missing file with a bad policy succeeded")
	}
	if _, err = peer.Upload(ctx, peer.UploadOptions{Options: peer.Options{Client: cl, Host: "127.0.0.1",
		Policy: "greedy"}}, nil); err == nil || !strings.Contains(err.Error(), "greedy") {
		t.Fatalf("upload with a bad policy: %v", err)
	}
	_, err = peer.Upload(ctx, peer.UploadOptions{Options: peer.Options{Client: cl, Host: "no-such-host.invalid",
		TransferKey: "k1"}}, nil)
	if err == nil {
		t.Fatal("upload to an unresolvable host succeeded")
	}
}

// TestTicketCarriesProtocol: a daemon's tickets say which engine protocol it
// speaks, so a client of another version refuses them with a clear error
// (engine.CheckProtocol) instead of sending hellos that go unanswered.
func TestTicketCarriesProtocol(t *testing.T) {
	d := daemontest.Start(t)
	d.AddUser("alice", "pw-alice-1", false)
	cl := d.Login("alice", "pw-alice-1")
	var tk api.Ticket
	if err := cl.Call(context.Background(), "recv.createTicket", map[string]any{"transferKey": "proto", "destinationPath": "/"}, &tk); err != nil {
		t.Fatal(err)
	}
	if tk.Protocol != engine.ProtocolVersion {
		t.Fatalf("ticket protocol %d, want %d", tk.Protocol, engine.ProtocolVersion)
	}
}

// TestHelloWithTheLogin: jscp sends the login, the ticket request (with its
// proposed conversation id and key) and the transfer's hello back to back.
// When the guessed UDP port is right the transfer runs on that first
// session; when it is wrong, on a second one at the ticket's port. The same
// for a download (after the login).
func TestHelloWithTheLogin(t *testing.T) {
	box := daemontest.OpenDir(t)
	d := daemontest.Start(t, daemontest.WithSandbox(box))
	d.AddUser("alice", "pw-alice-1", false)
	daemontest.OwnedDir(t, box, daemontest.BuiltinIdentity(t))
	si, err := d.Login("alice", "pw-alice-1").ServerInfo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "small.txt")
	if err := os.WriteFile(src, []byte("one small file"), 0o644); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(src)
	files := []engine.SourceFile{{LocalPath: src, TargetPath: "/small.txt", Size: fi.Size(), Mode: 0o644, Mtime: fi.ModTime()}}
	for _, tc := range []struct {
		name     string
		recvPort int // 0: guess the API port, which is not the data port here
		want     bool
	}{
		{"port known", si.Receiver.RecvPort, true},
		{"port guessed wrong", 0, false},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		cl := d.Dial()
		auth := cl.StartAuth("alice", "pw-alice-1")
		o := peer.UploadOptions{Options: peer.Options{Client: cl, Host: "127.0.0.1", RecvPort: tc.recvPort,
			TransferKey: "hello-" + tc.name}, Overwrite: api.OverwriteAlways}
		o.Ticket = peer.StartUploadTicket(o, fi.Size())
		up := peer.StartUpload(o, files)
		if err := auth.Wait(ctx, nil); err != nil {
			t.Fatal(err)
		}
		st, err := up.Wait(ctx)
		if err != nil || st.BytesAcked != fi.Size() {
			t.Fatalf("%s: %+v, %v", tc.name, st, err)
		}
		if up.RanOnProposal() != tc.want {
			t.Errorf("%s: ran on the early session %v, want %v", tc.name, up.RanOnProposal(), tc.want)
		}
		if got, _ := os.ReadFile(filepath.Join(box, "small.txt")); string(got) != "one small file" {
			t.Errorf("%s: landed %q", tc.name, got)
		}
		down := t.TempDir()
		sink, err := engine.NewDiskSink(engine.DiskSinkConfig{
			Land: func(p string) (string, error) { return filepath.Join(down, filepath.Clean("/"+p)), nil }})
		if err != nil {
			t.Fatal(err)
		}
		dl := peer.StartDownload(peer.Options{Client: cl, Host: "127.0.0.1", RecvPort: tc.recvPort,
			TransferKey: "hello-down-" + tc.name}, map[string]string{"/small.txt": "/back.txt"}, sink)
		if st, err := dl.Wait(ctx); err != nil || st.BytesAcked != fi.Size() {
			t.Fatalf("%s: download %+v, %v", tc.name, st, err)
		}
		if dl.RanOnProposal() != tc.want {
			t.Errorf("%s: download ran on the early session %v, want %v", tc.name, dl.RanOnProposal(), tc.want)
		}
		if got, _ := os.ReadFile(filepath.Join(down, "back.txt")); string(got) != "one small file" {
			t.Errorf("%s: downloaded %q", tc.name, got)
		}
		os.Remove(filepath.Join(box, "small.txt"))
		cl.Close()
		cancel()
	}
}
