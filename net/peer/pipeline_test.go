package peer_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/daemontest"
	"github.com/jetstream-go/jetstream/net/engine"
	"github.com/jetstream-go/jetstream/net/peer"
)

// TestUploadPipelinedTicket sends the ticket request right behind the login
// (neither answer read yet), as jscp does for a small copy, and hands it to
// Upload; a failed login makes the pipelined ticket fail with auth_required.
func TestUploadPipelinedTicket(t *testing.T) {
	box := daemontest.OpenDir(t)
	d := daemontest.Start(t, daemontest.WithSandbox(box))
	d.AddUser("alice", "pw-alice-1", false)
	daemontest.OwnedDir(t, box, daemontest.BuiltinIdentity(t))
	src := filepath.Join(t.TempDir(), "small.bin")
	data := bytes.Repeat([]byte("k"), 1024)
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(src)
	files := []engine.SourceFile{{LocalPath: src, TargetPath: "/small.bin", Size: fi.Size(), Mode: 0o644, Mtime: fi.ModTime()}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, tc := range []struct {
		name, password string
		code           api.ErrorCode // "" = the upload succeeds
	}{
		{"login ok", "pw-alice-1", ""},
		{"login refused", "wrong", api.CodeAuthRequired},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cl := d.Dial()
			auth := cl.StartAuth("alice", tc.password)
			o := peer.UploadOptions{Options: peer.Options{Client: cl, Host: "127.0.0.1", TransferKey: "pipelined-" + tc.password},
				DestinationPath: "/in", Overwrite: api.OverwriteAlways}
			o.Ticket = peer.StartUploadTicket(o, fi.Size())
			if err := auth.Wait(ctx, nil); (err == nil) != (tc.code == "") {
				t.Fatalf("login: %v", err)
			}
			st, err := peer.Upload(ctx, o, files)
			if tc.code != "" {
				if api.CodeOf(err) != tc.code {
					t.Fatalf("upload after a refused login: got %v, want code %q", err, tc.code)
				}
				return
			}
			if err != nil || st.BytesAcked != int64(len(data)) {
				t.Fatalf("upload: stats %+v: %v", st, err)
			}
			if got, err := os.ReadFile(filepath.Join(box, "in", "small.bin")); err != nil || !bytes.Equal(got, data) {
				t.Fatalf("landed %d bytes, %v", len(got), err)
			}
		})
	}
}
