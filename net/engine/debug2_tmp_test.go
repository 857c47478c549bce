package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestDebugSmall(t *testing.T) {
	if os.Getenv("DBG") == "" {
		t.Skip()
	}
	dir, _ := os.MkdirTemp("/dev/shm", "dbg")
	defer os.RemoveAll(dir)
	n := 10000
	buf := make([]byte, 4096)
	files := make([]SourceFile, n)
	for i := range files {
		p := filepath.Join(dir, "src", fmt.Sprintf("d%03d", i%100), fmt.Sprintf("f%05d", i))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, buf, 0o644)
		files[i] = SourceFile{LocalPath: p, TargetPath: filepath.ToSlash(p[len(dir)+5:]), Size: 4096, Mode: 0o644}
	}
	p := loopbackPair(t, Config{MaxPacket: 65000, SocketBuffer: 16 << 20})
	sink := newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(filepath.Join(dir, "dst")), Overwrite: OverwriteAlways})
	tr := &transfer{ticket: newTicket(t, CipherAES128, p.recv.NewConv(), "dbg"), files: files, sink: sink, sendOpts: benchOpts()}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	snd, rcv := tr.start(t, ctx, p)
	tk := time.NewTicker(200 * time.Millisecond)
	for {
		select {
		case <-snd.Done():
			t.Logf("done %v %v", snd.Err(), rcv.Err())
			return
		case <-tk.C:
			st, rs := snd.Stats(), rcv.Stats()
			t.Logf("snd files %d sent %d acked %d rate %.1fMB/s rtt %v retx %d | rcv files %d blocks %d | kcp %d listed %d",
				st.FilesDone, st.BlocksSent, st.BlocksAcked, st.Rate/1e6, st.RTT, st.BlocksRetransmitted, rs.FilesDone, rs.BlocksAcked, -1, st.TotalBlocks)
		}
	}
}
