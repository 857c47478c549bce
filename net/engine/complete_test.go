package engine

import (
	"net"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/net/pacer"
)

// muteConn drops every datagram written while mute says so.
type muteConn struct {
	net.PacketConn
	mute func() bool
	lost atomic.Int64
}

func (c *muteConn) WriteTo(p []byte, addr net.Addr) (int, error) {
	if c.mute() {
		c.lost.Add(1)
		return len(p), nil
	}
	return c.PacketConn.WriteTo(p, addr)
}

// TestEndKeepsStateUntilConfirmed: the receiver ends a session with Complete
// right after the last result. When the sender's confirmation (its ack of
// Complete, and Finish) is lost, the sender still finishes — it has every
// result — and the receiver keeps its checkpoint, now saying the file is
// done, so a resume learns the result instead of sending the file again.
// When the confirmation arrives the checkpoint is gone.
func TestEndKeepsStateUntilConfirmed(t *testing.T) {
	for _, lose := range []bool{false, true} {
		t.Run(map[bool]string{false: "confirmed", true: "confirmation lost"}[lose], func(t *testing.T) {
			src := filepath.Join(t.TempDir(), "f")
			if err := os.WriteFile(src, make([]byte, 10_000), 0o644); err != nil {
				t.Fatal(err)
			}
			dst := t.TempDir()
			sink := newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dst), StateDir: t.TempDir(), CheckpointEvery: time.Hour})
			rec := &recorder{}
			tr := &transfer{files: []SourceFile{{LocalPath: src, TargetPath: "/f", Size: 10_000}},
				sink: sink, srcObs: rec, sendOpts: SendOptions{Policy: pacer.Fair}}
			var mc *muteConn
			simTransfer(t, 100*time.Millisecond, func(c net.PacketConn) net.PacketConn {
				mc = &muteConn{PacketConn: c, mute: func() bool {
					_, got := rec.get(0) // the sender has the result
					return lose && got
				}}
				return mc
			}, tr)
			if _, err := os.Stat(filepath.Join(dst, "f")); err != nil {
				t.Fatalf("file not landed: %v", err)
			}
			cp, err := sink.Load(tr.ticket.TransferKey)
			if err != nil {
				t.Fatal(err)
			}
			if !lose {
				if cp != nil {
					t.Errorf("checkpoint kept after a confirmed end: %+v", cp)
				}
				return
			}
			if mc.lost.Load() == 0 {
				t.Fatal("no datagram of the sender was dropped")
			}
			if cp == nil || len(cp.Files) != 1 || !cp.Files[0].Done || cp.Files[0].Code != "" {
				t.Fatalf("checkpoint after an unconfirmed end = %+v, want file 0 done", cp)
			}
		})
	}
}
