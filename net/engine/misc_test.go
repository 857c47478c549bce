package engine

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/net/pacer"
)

func TestDiscover(t *testing.T) {
	p := loopbackPair(t, Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	got := make(chan error, 1)
	go func() {
		a, err := p.recv.WaitDiscover(ctx, "id-42")
		if err == nil && a.Port != p.send.LocalAddr().Port {
			err = &Error{Code: CodeProtocol, Msg: "wrong address " + a.String()}
		}
		got <- err
	}()
	// Discover packets may be lost or sent before the waiter registers: send several.
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		if err := p.send.SendDiscover(p.recv.LocalAddr(), "id-42"); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-got:
			if err != nil {
				t.Fatal(err)
			}
			if p.recv.Stats().Discover == 0 {
				t.Fatal("discover not counted")
			}
			if err := p.send.SendDiscover(p.recv.LocalAddr(), ""); err == nil {
				t.Fatal("empty discover id accepted")
			}
			return
		case <-tick.C:
		case <-ctx.Done():
			t.Fatal("no discover packet received")
		}
	}
}

func TestNoReadNoWrite(t *testing.T) {
	dst := t.TempDir()
	files := []SourceFile{
		{LocalPath: "/nonexistent/a", TargetPath: "a", Size: 3 << 20, Mode: 0o644},
		{LocalPath: "/nonexistent/b", TargetPath: "b", Size: 10, Mode: 0o644},
	}
	p := loopbackPair(t, Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	tr := &transfer{ticket: newTicket(t, CipherAES256, p.recv.NewConv(), "flags"), files: files,
		sink:     newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dst), NoWrite: true}),
		sendOpts: SendOptions{NoRead: true, Policy: pacer.Fixed, MaxRate: 100 << 20}}
	snd, rcv := tr.start(t, ctx, p)
	waitDone(t, 20*time.Second, snd, rcv)
	if snd.Err() != nil || rcv.Err() != nil {
		t.Fatalf("errors: %v %v", snd.Err(), rcv.Err())
	}
	if st := rcv.Stats(); st.FilesDone != 2 || st.BytesAcked != 3<<20+10 {
		t.Fatalf("receiver stats %+v", st)
	}
	if ents, _ := os.ReadDir(dst); len(ents) != 0 {
		t.Fatalf("no-write transfer wrote %v", ents)
	}
}

func TestOverwriteNeverEndToEnd(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	files := makeTree(t, src, treeSpec{small: 3, smallSize: 100}, 31)
	target := filepath.Join(dst, files[1].TargetPath)
	os.MkdirAll(filepath.Dir(target), 0o755)
	os.WriteFile(target, []byte("keep me"), 0o600)
	p := loopbackPair(t, Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	tr := &transfer{ticket: newTicket(t, CipherAES128, p.recv.NewConv(), "never"), files: files,
		sink: newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dst), Overwrite: OverwriteNever})}
	snd, rcv := tr.start(t, ctx, p)
	waitDone(t, 20*time.Second, snd, rcv)
	if snd.Err() != nil || rcv.Err() != nil {
		t.Fatalf("errors: %v %v", snd.Err(), rcv.Err())
	}
	if got := tr.srcObs.failed(); len(got) != 1 || got[1] != CodeExists {
		t.Fatalf("failures %v", got)
	}
	if b, _ := os.ReadFile(target); string(b) != "keep me" {
		t.Fatal("existing file overwritten")
	}
	checkTree(t, []SourceFile{files[0], files[2]}, dst)
}

func TestPeerTimeout(t *testing.T) {
	p := loopbackPair(t, Config{IdleTimeout: 200 * time.Millisecond})
	s, err := p.recv.Accept(newTicket(t, CipherAES128, p.recv.NewConv(), "t"), Side{Sink: newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(t.TempDir())})})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("no timeout")
	}
	if CodeOf(s.Err()) != CodePeerTimeout {
		t.Fatalf("err %v", s.Err())
	}
	// Connect to nobody gives up with the context.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := p.send.Connect(ctx, p.recv.LocalAddr(), newTicket(t, CipherNone, 77, "x"), Side{Source: NewDiskSource(nil)}); err == nil {
		t.Fatal("connected to nobody")
	}
	if st := p.recv.Stats(); st.HeldHellos == 0 || st.DroppedUnknownConv != 0 {
		t.Fatalf("hellos to an unknown conv: %d held, %d dropped; want held (early.go), none dropped yet", st.HeldHellos, st.DroppedUnknownConv)
	}
}

func TestSideAndTicketErrors(t *testing.T) {
	p := loopbackPair(t, Config{})
	tk := newTicket(t, CipherAES128, 5, "k")
	if _, err := p.recv.Accept(tk, Side{}); CodeOf(err) != CodeProtocol {
		t.Errorf("empty side: %v", err)
	}
	if _, err := p.recv.Accept(Ticket{Conv: 5, Cipher: CipherAES128, TransferKey: "k"}, Side{Source: NewDiskSource(nil)}); CodeOf(err) != CodeAuth {
		t.Errorf("no key: %v", err)
	}
	s, err := p.recv.Accept(tk, Side{Source: NewDiskSource(nil)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(nil)
	if _, err := p.recv.Accept(tk, Side{Source: NewDiskSource(nil)}); err == nil {
		t.Error("duplicate conv accepted")
	}
	// Two sources cannot talk to each other.
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := p.send.Connect(ctx, p.recv.LocalAddr(), tk, Side{Source: NewDiskSource(nil)}); err == nil {
		t.Error("source connected to source")
	}
}

func TestSetRateAndDownloadDirection(t *testing.T) {
	// The acceptor sends (a download behind NAT connects to the sender).
	src, dst := t.TempDir(), t.TempDir()
	files := makeTree(t, src, treeSpec{large: []int{4 << 20}}, 41)
	p := loopbackPair(t, Config{})
	tk := newTicket(t, CipherAES128, p.send.NewConv(), "download")
	obs := &recorder{}
	snd, err := p.send.Accept(tk, Side{Source: NewDiskSource(files), Send: SendOptions{Policy: pacer.Fixed, MaxRate: 1 << 20}, Observer: obs})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rcv, err := p.recv.Connect(ctx, p.send.LocalAddr(), tk, Side{Sink: newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dst)})})
	if err != nil {
		t.Fatal(err)
	}
	if err := rcv.SetRate(0, 1, pacer.Fixed); err == nil {
		t.Error("SetRate on the receiving side accepted")
	}
	if err := snd.SetRate(10, 1, pacer.Fixed); err == nil {
		t.Error("min above max accepted")
	}
	if err := snd.SetRate(0, 200<<20, pacer.Fixed); err != nil {
		t.Fatal(err)
	}
	if r := snd.Stats().Rate; r != 200<<20 {
		t.Errorf("rate %v after SetRate", r)
	}
	waitDone(t, 20*time.Second, snd, rcv)
	if snd.Err() != nil || rcv.Err() != nil {
		t.Fatalf("errors: %v %v", snd.Err(), rcv.Err())
	}
	checkTree(t, files, dst)
	if fr, ok := obs.get(0); !ok || fr.Err != nil || len(fr.Hash) != 32 {
		t.Fatalf("sender result %+v", fr)
	}
}

func TestLargeDatagrams(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	files := makeTree(t, src, treeSpec{large: []int{5<<20 + 3}, small: 20, smallSize: 40000}, 51)
	p := loopbackPair(t, Config{MaxPacket: 65000})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	tr := &transfer{ticket: newTicket(t, CipherAES128, p.recv.NewConv(), "jumbo"), files: files,
		sink: newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dst)})}
	snd, rcv := tr.start(t, ctx, p)
	waitDone(t, 20*time.Second, snd, rcv)
	if snd.Err() != nil || rcv.Err() != nil {
		t.Fatalf("errors: %v %v", snd.Err(), rcv.Err())
	}
	checkTree(t, files, dst)
	if st := snd.Stats(); st.TotalBlocks > 200 {
		t.Fatalf("%d blocks: big datagrams not used", st.TotalBlocks)
	}
}

func TestEmptyTransfer(t *testing.T) {
	p := loopbackPair(t, Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	tr := &transfer{ticket: newTicket(t, CipherAES128, p.recv.NewConv(), "empty"),
		sink: newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(t.TempDir())})}
	snd, rcv := tr.start(t, ctx, p)
	waitDone(t, 10*time.Second, snd, rcv)
	if snd.Err() != nil || rcv.Err() != nil {
		t.Fatalf("errors: %v %v", snd.Err(), rcv.Err())
	}
}

func TestIOFallbacks(t *testing.T) {
	for _, tc := range []struct {
		name, env  string
		batch, gso bool
	}{
		{"default", "", true, true},
		{"no-gso", "JETSTREAM_NO_GSO", true, false},
		{"no-batch", "JETSTREAM_NO_BATCH", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.env != "" {
				t.Setenv(tc.env, "1")
			}
			src, dst := t.TempDir(), t.TempDir()
			files := makeTree(t, src, treeSpec{large: []int{1 << 20}, small: 5, smallSize: 3000}, 71)
			p := loopbackPair(t, Config{})
			st := p.send.Stats()
			if st.Batching != tc.batch || (st.GSO && !tc.gso) {
				t.Fatalf("batching %v gso %v, want %v %v", st.Batching, st.GSO, tc.batch, tc.gso)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			tr := &transfer{ticket: newTicket(t, CipherAES128, p.recv.NewConv(), "io"), files: files,
				sink: newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dst)})}
			snd, rcv := tr.start(t, ctx, p)
			waitDone(t, 20*time.Second, snd, rcv)
			if snd.Err() != nil || rcv.Err() != nil {
				t.Fatalf("errors: %v %v", snd.Err(), rcv.Err())
			}
			checkTree(t, files, dst)
		})
	}
}
