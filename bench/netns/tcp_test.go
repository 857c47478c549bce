package netns

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"os"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/bench/linkemu"
)

// TestTCPIntegrityThroughOffloadEmulator sends 16 MiB over TCP from A to B
// through the emulator with TSO offload, delay and 1 % loss in both
// directions, and checks the bytes arrive intact: super-packets were cut
// into segments, some lost, and the survivors merged again on write.
func TestTCPIntegrityThroughOffloadEmulator(t *testing.T) {
	needRoot(t)
	for _, offload := range []bool{true, false} {
		t.Run(fmt.Sprintf("offload=%v", offload), func(t *testing.T) {
			ctx := context.Background()
			p, err := NewPair(ctx, PairConfig{Suffix: fmt.Sprintf("u%d", os.Getpid()), Offload: offload, TCPMaxBuf: 16 << 20})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close(ctx)
			dc, err := linkemu.ParseDirConfig("delay=5ms,loss=1%,rate=400Mbit,queue=20ms")
			if err != nil {
				t.Fatal(err)
			}
			e, err := linkemu.New(p.TunA, p.TunB, linkemu.Config{AtoB: dc, BtoA: dc, VnetHdr: offload, Seed: 7})
			if err != nil {
				t.Fatal(err)
			}
			ectx, cancel := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() { done <- e.Run(ectx) }()

			var ln net.Listener
			if err := p.B.Do(func() (err error) { ln, err = net.Listen("tcp4", p.Cfg.AddrB.Addr().String()+":0"); return err }); err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			type result struct {
				sum [32]byte
				n   int64
				err error
			}
			got := make(chan result, 1)
			go func() {
				c, err := ln.Accept()
				if err != nil {
					got <- result{err: err}
					return
				}
				defer c.Close()
				c.SetDeadline(time.Now().Add(30 * time.Second))
				h := sha256.New()
				n, err := io.Copy(h, c)
				var r result
				copy(r.sum[:], h.Sum(nil))
				r.n, r.err = n, err
				got <- r
			}()
			var c net.Conn
			if err := p.A.Do(func() (err error) { c, err = net.Dial("tcp4", ln.Addr().String()); return err }); err != nil {
				t.Fatal(err)
			}
			data := make([]byte, 16<<20)
			for i := range data {
				data[i] = byte(i*131 + i>>11)
			}
			c.SetDeadline(time.Now().Add(30 * time.Second))
			if _, err := io.Copy(c, bytes.NewReader(data)); err != nil {
				t.Fatal(err)
			}
			c.Close()
			r := <-got
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			if r.err != nil || r.n != int64(len(data)) || r.sum != sha256.Sum256(data) {
				t.Fatalf("received %d bytes (err %v), hash match %v", r.n, r.err, r.sum == sha256.Sum256(data))
			}
			s := e.Snapshot()
			if s.AtoB.DroppedLoss == 0 || s.AtoB.ReadErrors != 0 || s.AtoB.WriteErrors != 0 || s.BtoA.WriteErrors != 0 {
				t.Fatalf("counters: %+v", s)
			}
			// Every data segment the model saw was wire sized.
			if s.AtoB.Received < uint64(len(data))/1500 {
				t.Fatalf("model saw %d packets for %d bytes: super-packets not segmented", s.AtoB.Received, len(data))
			}
		})
	}
}
