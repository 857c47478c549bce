package engine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/net/pacer"
	"github.com/jetstream-go/jetstream/net/wire"
)

// waitProgress polls the sender until at least frac of the bytes are acked.
func waitProgress(t *testing.T, s *Session, frac float64) Stats {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		st := s.Stats()
		if st.TotalBytes > 0 && float64(st.BytesAcked) >= frac*float64(st.TotalBytes) {
			return st
		}
		select {
		case <-s.Done():
			t.Fatalf("session ended early: %v", s.Err())
		case <-time.After(2 * time.Millisecond):
		}
	}
	t.Fatal("no progress")
	return Stats{}
}

func partfiles(t *testing.T, dir string) []string {
	var out []string
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && filepath.Ext(p) == partSuffix {
			out = append(out, p)
		}
		return nil
	})
	return out
}

func TestResumeAfterClose(t *testing.T) {
	src, dst, state := t.TempDir(), t.TempDir(), t.TempDir()
	files := makeTree(t, src, treeSpec{large: []int{8 << 20}, small: 30, smallSize: 5000, empty: 1, emptyDirs: 1}, 11)
	p := loopbackPair(t, Config{})
	sink := newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dst), StateDir: state, CheckpointEvery: time.Hour})
	opts := SendOptions{Policy: pacer.Fixed, MaxRate: 16 << 20}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	tr := &transfer{ticket: newTicket(t, CipherAES128, p.recv.NewConv(), "resume-close"), files: files, sink: sink, sendOpts: opts}
	snd, rcv := tr.start(t, ctx, p)
	first := waitProgress(t, snd, 0.4)
	snd.Close(nil)
	waitDone(t, 10*time.Second, rcv)
	if CodeOf(snd.Err()) != CodeCancelled || CodeOf(rcv.Err()) != CodeCancelled {
		t.Fatalf("errors: send %v, recv %v", snd.Err(), rcv.Err())
	}
	if len(partfiles(t, dst)) == 0 {
		t.Fatal("no partfile kept")
	}
	acked := snd.Stats().BlocksAcked

	tr2 := &transfer{ticket: newTicket(t, CipherAES128, p.recv.NewConv(), "resume-close"), files: files, sink: sink, sendOpts: opts}
	snd2, rcv2 := tr2.start(t, ctx, p)
	waitDone(t, 30*time.Second, snd2, rcv2)
	if snd2.Err() != nil || rcv2.Err() != nil {
		t.Fatalf("errors: send %v, recv %v", snd2.Err(), rcv2.Err())
	}
	checkTree(t, files, dst)
	st := snd2.Stats()
	remaining := st.TotalBlocks - acked
	sent := st.BlocksSent - st.BlocksRetransmitted // first transmissions
	t.Logf("first run acked %d blocks (at close %d) of %d; second run sent %d new blocks, %d were unacknowledged",
		first.BlocksAcked, acked, st.TotalBlocks, sent, remaining)
	if sent > remaining {
		t.Fatalf("second run sent %d blocks, only %d were unacknowledged", sent, remaining)
	}
	if len(partfiles(t, dst)) != 0 {
		t.Fatal("partfiles left after completion")
	}
	if ents, _ := os.ReadDir(state); len(ents) != 0 {
		t.Fatalf("checkpoint not discarded: %v", ents)
	}
}

func TestResumeAfterReceiverKill(t *testing.T) {
	src, dst, state := t.TempDir(), t.TempDir(), t.TempDir()
	files := makeTree(t, src, treeSpec{large: []int{6 << 20, 2 << 20}, small: 20, smallSize: 3000}, 12)
	sendEP, err := Listen("127.0.0.1:0", Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer sendEP.Close()
	recvEP, err := Listen("127.0.0.1:0", Config{})
	if err != nil {
		t.Fatal(err)
	}
	mkSink := func() Sink {
		return newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dst), StateDir: state, CheckpointEvery: 20 * time.Millisecond})
	}
	opts := SendOptions{Policy: pacer.Fixed, MaxRate: 12 << 20}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tr := &transfer{ticket: newTicket(t, CipherAES256, recvEP.NewConv(), "resume-kill"), files: files, sink: mkSink(), sendOpts: opts}
	snd, rcv := tr.start(t, ctx, pair{send: sendEP, recv: recvEP})
	waitProgress(t, snd, 0.5)
	rcv.kill() // like kill -9: no final checkpoint, no goodbye
	recvEP.Close()
	snd.Close(errors.New("receiver went away"))
	<-snd.Done()

	// "Restart" the receiver: a new endpoint and sink over the same state dir.
	recvEP2, err := Listen("127.0.0.1:0", Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer recvEP2.Close()
	tr2 := &transfer{ticket: newTicket(t, CipherAES256, recvEP2.NewConv(), "resume-kill"), files: files, sink: mkSink(), sendOpts: opts}
	snd2, rcv2 := tr2.start(t, ctx, pair{send: sendEP, recv: recvEP2})
	waitDone(t, 30*time.Second, snd2, rcv2)
	if snd2.Err() != nil || rcv2.Err() != nil {
		t.Fatalf("errors: send %v, recv %v", snd2.Err(), rcv2.Err())
	}
	checkTree(t, files, dst)
	st := snd2.Stats()
	sent := st.BlocksSent - st.BlocksRetransmitted
	t.Logf("second run sent %d new blocks of %d", sent, st.TotalBlocks)
	if sent > st.TotalBlocks*3/4 {
		t.Fatalf("resumed run re-sent %d of %d blocks", sent, st.TotalBlocks)
	}
}

func TestSurvivesOutage(t *testing.T) {
	p, n := netsimPair(t, netsimLink(2*time.Millisecond), Config{IdleTimeout: 5 * time.Second})
	src, dst := t.TempDir(), t.TempDir()
	files := makeTree(t, src, treeSpec{large: []int{3 << 20}, small: 10, smallSize: 1000}, 13)
	tr := &transfer{ticket: newTicket(t, CipherAES128, p.recv.NewConv(), "outage"), files: files,
		sink: newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dst)}), sendOpts: SendOptions{Policy: pacer.Fixed, MaxRate: 4 << 20}}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	snd, rcv := tr.start(t, ctx, p)
	waitProgress(t, snd, 0.3)
	dead := netsimLink(2 * time.Millisecond)
	dead.Loss = 1
	a, b := p.send.LocalAddr(), p.recv.LocalAddr()
	n.SetLink(a, b, dead)
	n.SetLink(b, a, dead)
	before := snd.Stats()
	time.Sleep(1500 * time.Millisecond) // the outage itself (scaled down from a minute)
	during := snd.Stats()
	n.SetLink(a, b, netsimLink(2*time.Millisecond))
	n.SetLink(b, a, netsimLink(2*time.Millisecond))
	waitDone(t, 30*time.Second, snd, rcv)
	if snd.Err() != nil || rcv.Err() != nil {
		t.Fatalf("errors: send %v, recv %v", snd.Err(), rcv.Err())
	}
	checkTree(t, files, dst)
	// During the outage the sender backs off instead of flooding.
	if sent := during.BytesSent - before.BytesSent; sent > 2<<20 {
		t.Errorf("sent %d bytes into a dead link", sent)
	}
}

func TestResumeAfterSenderKill(t *testing.T) {
	src, dst, state := t.TempDir(), t.TempDir(), t.TempDir()
	files := makeTree(t, src, treeSpec{large: []int{6 << 20}, small: 10, smallSize: 3000}, 14)
	p := loopbackPair(t, Config{})
	sink := newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dst), StateDir: state, CheckpointEvery: time.Hour})
	opts := SendOptions{Policy: pacer.Fixed, MaxRate: 12 << 20}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tr := &transfer{ticket: newTicket(t, CipherAES128, p.recv.NewConv(), "sender-kill"), files: files, sink: sink, sendOpts: opts}
	snd, rcv := tr.start(t, ctx, p)
	waitProgress(t, snd, 0.5)
	snd.kill()                                        // the sending side dies without a word
	rcv.Close(errors.New("operator gave up waiting")) // the receiver checkpoints on the way out
	tr2 := &transfer{ticket: newTicket(t, CipherAES128, p.recv.NewConv(), "sender-kill"), files: files, sink: sink, sendOpts: opts}
	snd2, rcv2 := tr2.start(t, ctx, p)
	waitDone(t, 30*time.Second, snd2, rcv2)
	if snd2.Err() != nil || rcv2.Err() != nil {
		t.Fatalf("errors: send %v, recv %v", snd2.Err(), rcv2.Err())
	}
	checkTree(t, files, dst)
	if st := snd2.Stats(); st.BlocksSent-st.BlocksRetransmitted > st.TotalBlocks*3/5 {
		t.Fatalf("resumed run re-sent %d of %d blocks", st.BlocksSent-st.BlocksRetransmitted, st.TotalBlocks)
	}
}

// TestResumeAfterDestinationDeleted: files landed before an interruption
// and then deleted (or replaced) on the receiver are sent again on resume,
// never reported done from the stale checkpoint.
func TestResumeAfterDestinationDeleted(t *testing.T) {
	src, dst, state := t.TempDir(), t.TempDir(), t.TempDir()
	files := makeTree(t, src, treeSpec{large: []int{8 << 20}, small: 20, smallSize: 5000, emptyDirs: 1}, 12)
	p := loopbackPair(t, Config{})
	sink := newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dst), StateDir: state, CheckpointEvery: time.Hour})
	opts := SendOptions{Policy: pacer.Fixed, MaxRate: 16 << 20}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	tr := &transfer{ticket: newTicket(t, CipherAES128, p.recv.NewConv(), "resume-deleted"), files: files, sink: sink, sendOpts: opts}
	snd, rcv := tr.start(t, ctx, p)
	landed := func() (n int) {
		for i := range files {
			if fr, ok := tr.dstObs.get(i); ok && fr.Err == nil && fr.HostPath != "" {
				n++
			}
		}
		return n
	}
	for deadline := time.Now().Add(20 * time.Second); landed() == 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond) // polling a condition, bounded
	}
	snd.Close(nil)
	waitDone(t, 10*time.Second, rcv)
	if landed() == 0 || len(partfiles(t, dst)) == 0 {
		t.Fatalf("want some landed files and a partfile before the resume; landed %d, partfiles %v", landed(), partfiles(t, dst))
	}
	// Everything on the receiver goes away; one landed file comes back altered.
	ents, _ := os.ReadDir(dst)
	for _, e := range ents {
		if err := os.RemoveAll(filepath.Join(dst, e.Name())); err != nil {
			t.Fatal(err)
		}
	}

	tr2 := &transfer{ticket: newTicket(t, CipherAES128, p.recv.NewConv(), "resume-deleted"), files: files, sink: sink, sendOpts: opts}
	snd2, rcv2 := tr2.start(t, ctx, p)
	waitDone(t, 30*time.Second, snd2, rcv2)
	if snd2.Err() != nil || rcv2.Err() != nil {
		t.Fatalf("errors: send %v, recv %v", snd2.Err(), rcv2.Err())
	}
	checkTree(t, files, dst)
}

func TestVerifyCheckpoint(t *testing.T) {
	dst := t.TempDir()
	s := newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dst), StateDir: t.TempDir()}).(CheckpointVerifier)
	mtime := time.Unix(1700000000, 0)
	write := func(name string, n int) string {
		p := filepath.Join(dst, name)
		if err := os.WriteFile(p, make([]byte, n), 0o600); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, mtime, mtime)
		return p
	}
	kept := write("kept", 10)
	resized := write("resized", 11)
	touched := write("touched", 10)
	os.Chtimes(touched, mtime.Add(time.Hour), mtime.Add(time.Hour))
	os.Mkdir(filepath.Join(dst, "dir"), 0o700)
	part := write("x", 0)
	os.Remove(part)
	write(filepath.Base(partName(filepath.Join(dst, "part"), "k")), 4096)
	write(filepath.Base(partName(filepath.Join(dst, "short"), "k")), 100)

	mt := mtime.UnixNano()
	cp := &Checkpoint{TransferKey: "k", BlockSize: 1024, Files: []CheckpointFile{
		{Index: 0, Path: "/kept", Size: 10, Mtime: mt, Done: true, HostPath: kept},
		{Index: 1, Path: "/gone", Size: 10, Mtime: mt, Done: true, HostPath: filepath.Join(dst, "gone")},
		{Index: 2, Path: "/resized", Size: 10, Mtime: mt, Done: true, HostPath: resized},
		{Index: 3, Path: "/touched", Size: 10, Mtime: mt, Done: true, HostPath: touched},
		{Index: 4, Path: "/failed", Size: 10, Done: true, Code: "source_unreadable"},
		{Index: 5, Path: "/dir", Done: true, HostPath: filepath.Join(dst, "dir")},
		{Index: 6, Path: "/part", Size: 8192, Ranges: []wire.Range{{Start: 0, End: 4}}},
		{Index: 7, Path: "/short", Size: 8192, Ranges: []wire.Range{{Start: 0, End: 4}}},
		{Index: 8, Path: "/nopart", Size: 8192, Ranges: []wire.Range{{Start: 0, End: 1}}},
		{Index: 9, Path: "/notstarted", Size: 8192},
	}}
	var got []uint64
	for _, cf := range s.VerifyCheckpoint(cp) {
		got = append(got, cf.Index)
	}
	if want := []uint64{0, 4, 5, 6, 9}; !slices.Equal(got, want) {
		t.Errorf("kept entries %v, want %v", got, want)
	}
}
