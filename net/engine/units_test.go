package engine

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"reflect"
	"syscall"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/net/wire"
)

func TestRangeSetAgainstModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 200; round++ {
		var rs rangeSet
		model := make([]bool, 300)
		for op := 0; op < 60; op++ {
			s := rng.Uint64N(290)
			e := s + rng.Uint64N(10)
			var added uint64
			got := rs.add(s, e, func(a, b uint64) {
				for x := a; x < b; x++ {
					if model[x] {
						t.Fatalf("callback reported %d, already present", x)
					}
				}
				added += b - a
			})
			var want uint64
			for x := s; x < e; x++ {
				if !model[x] {
					want++
					model[x] = true
				}
			}
			if got != want || added != want {
				t.Fatalf("add(%d,%d) = %d (callbacks %d), want %d", s, e, got, added, want)
			}
			for i := 1; i < len(rs.r); i++ {
				if rs.r[i].Start <= rs.r[i-1].End {
					t.Fatalf("ranges not disjoint/merged: %v", rs.r)
				}
			}
			for x := uint64(0); x < 300; x++ {
				if rs.contains(x) != model[x] {
					t.Fatalf("contains(%d) = %v", x, !model[x])
				}
			}
		}
		if round%2 == 0 {
			s, e := rng.Uint64N(300), rng.Uint64N(300)
			rs.remove(s, e)
			for x := s; x < e; x++ {
				model[x] = false
			}
			for x := uint64(0); x < 300; x++ {
				if rs.contains(x) != model[x] {
					t.Fatalf("after remove(%d,%d): contains(%d) = %v", s, e, x, !model[x])
				}
			}
		}
		var cnt uint64
		for x := 50; x < 150; x++ {
			if model[x] {
				cnt++
			}
		}
		if c := rs.count(50, 150); c != cnt {
			t.Fatalf("count = %d, want %d", c, cnt)
		}
		var w uint64
		for _, r := range rs.within(50, 150) {
			w += r.End - r.Start
		}
		if w != cnt {
			t.Fatalf("within covers %d, want %d", w, cnt)
		}
	}
}

func TestReplayWindow(t *testing.T) {
	var w replayWindow
	steps := []struct {
		pn   uint64
		want bool
	}{
		{1, true}, {1, false}, {3, true}, {2, true}, {2, false}, {3, false},
		{100000, true}, {99999, true}, {100000 - replayBits + 100, true}, {5, false},
		{100000 - replayBits + 100, false}, {200000, true}, {100000, false},
	}
	for i, s := range steps {
		if got := w.accept(s.pn); got != s.want {
			t.Fatalf("step %d: accept(%d) = %v, want %v", i, s.pn, got, s.want)
		}
	}
	// Sliding by one after a full window keeps correctness.
	var v replayWindow
	for pn := uint64(1); pn < 3*replayBits; pn++ {
		if !v.accept(pn) {
			t.Fatalf("fresh %d refused", pn)
		}
		if v.accept(pn) || (pn > 1 && v.accept(pn-1)) {
			t.Fatalf("replay at %d accepted", pn)
		}
	}
}

func TestSealerDetectsTampering(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	other := bytes.Repeat([]byte{8}, 32)
	for _, c := range []Cipher{CipherNone, CipherAuth, CipherAES128, CipherAES256} {
		s, err := newSealer(c, key)
		if err != nil {
			t.Fatal(err)
		}
		mk := func() []byte {
			b := make([]byte, 0, 256)
			b = wire.AppendHeader(b, wire.Header{Type: wire.TypeData, Conv: 9, PN: 5})
			b = append(b, []byte("secret payload")...)
			return s.seal(b, dirConnector, 5)
		}
		pkt := mk()
		if c >= CipherAES128 && bytes.Contains(pkt, []byte("secret")) {
			t.Errorf("%v: payload not encrypted", c)
		}
		if c <= CipherAuth && !bytes.Contains(pkt, []byte("secret")) {
			t.Errorf("%v: payload should stay readable", c)
		}
		p, err := s.open(bytes.Clone(pkt), dirConnector, 5)
		if err != nil || string(p) != "secret payload" {
			t.Fatalf("%v: open = %q, %v", c, p, err)
		}
		for i := range pkt {
			bad := bytes.Clone(pkt)
			bad[i] ^= 0x40
			if _, err := s.open(bad, dirConnector, 5); err == nil {
				t.Fatalf("%v: flipped byte %d accepted", c, i)
			}
		}
		if _, err := s.open(pkt[:10], dirConnector, 5); err == nil {
			t.Fatalf("%v: truncated accepted", c)
		}
		if c != CipherNone {
			if _, err := s.open(bytes.Clone(pkt), dirAcceptor, 5); err == nil {
				t.Fatalf("%v: wrong direction accepted", c)
			}
			o, _ := newSealer(c, other)
			if _, err := o.open(bytes.Clone(pkt), dirConnector, 5); err == nil {
				t.Fatalf("%v: wrong key accepted", c)
			}
		}
	}
}

func TestBucket(t *testing.T) {
	var b bucket
	b.setRate(1000, 500, 0, 0) // 1000 B/s, 500 B burst, no quantum, starts empty
	if d := b.delay(100, 0); d != 100*time.Millisecond {
		t.Fatalf("delay = %v", d)
	}
	if d := b.delay(100, 100*time.Millisecond); d != 0 {
		t.Fatalf("after waiting: %v", d)
	}
	if d := b.delay(600, 10*time.Second); d != 0 { // full bucket lets one oversized packet go
		t.Fatalf("oversized: %v", d)
	}
	if d := b.delay(100, 10*time.Second); d != 200*time.Millisecond {
		t.Fatalf("debt: %v", d)
	}
	b.setRate(0, 0, 0, 0)
	if d := b.delay(1<<20, 0); d != 0 {
		t.Fatalf("unpaced: %v", d)
	}
}

func TestBucketQuantum(t *testing.T) {
	var b bucket
	b.setRate(1000, 500, 300, 0) // refusals wait for 300 B of tokens
	if d := b.delay(100, 0); d != 300*time.Millisecond {
		t.Fatalf("first wait = %v, want the quantum's 300ms", d)
	}
	for i := range 3 { // a quantum sends three 100 B packets back to back
		if d := b.delay(100, 300*time.Millisecond); d != 0 {
			t.Fatalf("packet %d of the quantum waited %v", i, d)
		}
	}
	if d := b.delay(100, 300*time.Millisecond); d != 300*time.Millisecond {
		t.Fatalf("next quantum = %v", d)
	}
	if d := b.delay(100, 450*time.Millisecond); d != 150*time.Millisecond { // a wake-up mid-way sends nothing
		t.Fatalf("half a quantum in: %v, want 150ms", d)
	}
	if d := b.delay(400, 450*time.Millisecond); d != 250*time.Millisecond {
		t.Fatalf("a packet larger than the quantum waits for itself: %v", d)
	}
	b.setRate(1000, 200, 300, 0) // the quantum never exceeds the burst
	if b.quantum != 200 {
		t.Fatalf("quantum %v above burst 200", b.quantum)
	}
}

func TestCodeOf(t *testing.T) {
	tests := []struct {
		err  error
		want Code
	}{
		{nil, ""},
		{&Error{Code: CodeExists}, CodeExists},
		{syscall.ENOSPC, CodeDiskFull},
		{errors.New("x"), CodeIO},
	}
	for _, tc := range tests {
		if got := CodeOf(tc.err); got != tc.want {
			t.Errorf("CodeOf(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
	if !errors.Is(&Error{Code: CodeAuth, Msg: "m"}, &Error{Code: CodeAuth}) {
		t.Error("errors.Is by code failed")
	}
}

func TestTicketValidation(t *testing.T) {
	k32 := make([]byte, 32)
	tests := []struct {
		name string
		t    Ticket
		ok   bool
	}{
		{"ok", Ticket{Conv: 1, Cipher: CipherAES256, Key: k32, TransferKey: "k"}, true},
		{"none without key", Ticket{Conv: 1, Cipher: CipherNone, TransferKey: "k"}, true},
		{"conv 0", Ticket{Conv: 0, Cipher: CipherNone, TransferKey: "k"}, false},
		{"short key", Ticket{Conv: 1, Cipher: CipherAES256, Key: k32[:16], TransferKey: "k"}, false},
		{"no key", Ticket{Conv: 1, Cipher: CipherAuth, TransferKey: "k"}, false},
		{"bad cipher", Ticket{Conv: 1, Cipher: 9, Key: k32, TransferKey: "k"}, false},
		{"no transfer key", Ticket{Conv: 1, Cipher: CipherNone}, false},
	}
	for _, tc := range tests {
		if err := tc.t.validate(); (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func TestCheckpointRoundTrip(t *testing.T) {
	cp := &Checkpoint{TransferKey: "k", BlockSize: 1400, ChunkBlocks: 749, Files: []CheckpointFile{
		{Index: 0, Path: "a", Size: 10, Ranges: []wire.Range{{Start: 0, End: 1}}, Own: []wire.Digest{{Chunk: 0}}},
		{Index: 1, Path: "b", Done: true, Code: "exists", Msg: "m"},
	}}
	b, err := encodeCheckpoint(cp)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeCheckpoint(b)
	if err != nil || !reflect.DeepEqual(got, cp) {
		t.Fatalf("got %+v, %v", got, err)
	}
	b[len(b)-1] ^= 1
	if _, err := decodeCheckpoint(b); err == nil {
		t.Fatal("damaged checkpoint accepted")
	}
}

func FuzzDecodeCheckpoint(f *testing.F) {
	b, _ := encodeCheckpoint(&Checkpoint{TransferKey: "k", Files: []CheckpointFile{{Path: "x", Ranges: []wire.Range{{Start: 1, End: 2}}}}})
	f.Add(b)
	f.Add([]byte(checkpointFormatMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		decodeCheckpoint(b) // must not panic
	})
}
