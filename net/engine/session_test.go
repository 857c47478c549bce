package engine

import (
	"context"
	"testing"
	"time"
)

func TestLoopbackTransfer(t *testing.T) {
	for _, c := range []Cipher{CipherNone, CipherAuth, CipherAES128, CipherAES256} {
		t.Run(c.String(), func(t *testing.T) {
			src, dst, state := t.TempDir(), t.TempDir(), t.TempDir()
			files := makeTree(t, src, treeSpec{small: 40, smallSize: 3000, large: []int{3 << 20, 1<<20 + 17}, empty: 3, emptyDirs: 2}, 1)
			p := loopbackPair(t, Config{})
			tr := &transfer{ticket: newTicket(t, c, p.recv.NewConv(), "xfer-"+c.String()), files: files,
				sink: newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dst), StateDir: state, Overwrite: OverwriteAlways})}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			snd, rcv := tr.start(t, ctx, p)
			waitDone(t, 30*time.Second, snd, rcv)
			if snd.Err() != nil || rcv.Err() != nil {
				t.Fatalf("errors: send %v, recv %v", snd.Err(), rcv.Err())
			}
			checkTree(t, files, dst)
			st := snd.Stats()
			if st.FilesDone != int64(len(files)) || st.FilesFailed != 0 {
				t.Fatalf("sender stats %+v", st)
			}
			if rs := rcv.Stats(); rs.FilesDone != int64(len(files)) {
				t.Fatalf("receiver stats %+v", rs)
			}
			if es := p.recv.Stats(); es.DroppedAuth != 0 || es.DroppedReplay != 0 {
				t.Fatalf("endpoint drops %+v", es)
			}
		})
	}
}
