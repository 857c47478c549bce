package engine

import (
	"os"
	"path/filepath"
	"testing"
	"time"
	"context"
)

func TestDebugRate(t *testing.T) {
	if os.Getenv("DBG") == "" {
		t.Skip()
	}
	dir, _ := os.MkdirTemp("/dev/shm", "dbg")
	defer os.RemoveAll(dir)
	size := 256 << 20
	b := &testing.B{}
	_ = b
	src := filepath.Join(dir, "src.bin")
	f, _ := os.Create(src)
	buf := make([]byte, 4<<20)
	for i := range buf { buf[i] = byte(i) }
	for l := size; l > 0; l -= len(buf) { f.Write(buf) }
	f.Close()
	files := []SourceFile{{LocalPath: src, TargetPath: "dst.bin", Size: int64(size), Mode: 0o644}}
	p := loopbackPair(t, Config{MaxPacket: 65000, SocketBuffer: 16 << 20})
	sink := newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(filepath.Join(dir, "dst")), Overwrite: OverwriteAlways})
	tr := &transfer{ticket: newTicket(t, CipherAES128, p.recv.NewConv(), "dbg"), files: files, sink: sink, sendOpts: benchOpts()}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	snd, rcv := tr.start(t, ctx, p)
	tk := time.NewTicker(20 * time.Millisecond)
	var last int64
	for {
		select {
		case <-snd.Done():
			t.Logf("done %v %v", snd.Err(), rcv.Err())
			return
		case <-tk.C:
			st := snd.Stats()
			rs := rcv.Stats()
			t.Logf("rcv %d pk %d sent %d acked %6.1f MB/s rate %6.1f MB/s rtt %v retx %d drops %+v", rs.BlocksAcked, rs.PacketsRecv, st.BlocksSent, float64(st.BytesAcked-last)/0.02/1e6, st.Rate/1e6, st.RTT, st.BlocksRetransmitted, p.recv.Stats().DroppedQueueFull)
			last = st.BytesAcked
		}
	}
}
