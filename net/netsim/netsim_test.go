package netsim

import (
	"encoding/binary"
	"errors"
	"math"
	"net"
	"os"
	"testing"
	"testing/synctest"
	"time"
)

// pair returns two endpoints on a fresh network.
func pair(t *testing.T, cfg LinkConfig) (*Network, net.PacketConn, net.PacketConn) {
	t.Helper()
	n := New(cfg)
	t.Cleanup(func() { n.Close() })
	a, err := n.Listen()
	if err != nil {
		t.Fatal(err)
	}
	b, err := n.Listen()
	if err != nil {
		t.Fatal(err)
	}
	return n, a, b
}

func seqPacket(i, size int) []byte {
	p := make([]byte, max(size, 4))
	binary.BigEndian.PutUint32(p, uint32(i))
	return p
}

func mustWrite(t *testing.T, c net.PacketConn, p []byte, to net.Addr) {
	t.Helper()
	if n, err := c.WriteTo(p, to); err != nil || n != len(p) {
		t.Fatalf("WriteTo = %d, %v", n, err)
	}
}

// drain reads every datagram already queued at c and returns their
// sequence numbers. Inside a synctest bubble the 1 ns deadline only passes
// once every goroutine is blocked, i.e. once the queue is empty.
func drain(t *testing.T, c net.PacketConn) []int {
	t.Helper()
	var got []int
	c.SetReadDeadline(time.Now().Add(time.Nanosecond))
	defer c.SetReadDeadline(time.Time{})
	buf := make([]byte, 2048)
	for {
		n, _, err := c.ReadFrom(buf)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return got
		}
		if err != nil || n < 4 {
			t.Fatalf("ReadFrom = %d, %v", n, err)
		}
		got = append(got, int(binary.BigEndian.Uint32(buf)))
	}
}

func TestDelayAndCopy(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, a, b := pair(t, LinkConfig{Delay: 40 * time.Millisecond})
		start := time.Now()
		msg := []byte("hello, world")
		mustWrite(t, a, msg, b.LocalAddr())
		copy(msg, "XXXXX") // the network must have copied it
		buf := make([]byte, 5)
		n, from, err := b.ReadFrom(buf)
		if err != nil {
			t.Fatal(err)
		}
		if got := time.Since(start); got != 40*time.Millisecond {
			t.Errorf("arrived after %v, want exactly 40ms", got)
		}
		if string(buf[:n]) != "hello" {
			t.Errorf("payload %q, want the truncated original %q", buf[:n], "hello")
		}
		ua, ok := from.(*net.UDPAddr)
		if !ok || ua.String() != a.LocalAddr().String() || !ua.IP.IsLoopback() {
			t.Errorf("from = %#v, want %v", from, a.LocalAddr())
		}
		ua.Port = 1 // callers may scribble on returned addresses
		if a.LocalAddr().(*net.UDPAddr).Port == 1 {
			t.Error("LocalAddr shares its address")
		}
	})
}

// TestLossRate: 20 000 packets at 10 % loss lose 10 % ± 4σ, and every
// packet is accounted for.
func TestLossRate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := pair(t, LinkConfig{Delay: time.Millisecond, Loss: 0.1, Seed: 42})
		const total = 20000
		received := 0
		for i := range total {
			mustWrite(t, a, seqPacket(i, 100), b.LocalAddr())
			if i%1000 == 999 {
				time.Sleep(2 * time.Millisecond)
				received += len(drain(t, b))
			}
		}
		st := n.Stats(a.LocalAddr(), b.LocalAddr())
		sigma := math.Sqrt(total * 0.1 * 0.9)
		if d := math.Abs(float64(st.DroppedLoss) - total*0.1); d > 4*sigma {
			t.Errorf("lost %d of %d, want %d ± %.0f", st.DroppedLoss, total, total/10, 4*sigma)
		}
		if st.Sent != total || st.Delivered+st.DroppedLoss != total || uint64(received) != st.Delivered {
			t.Errorf("counters %+v, received %d", st, received)
		}
		if back := n.Stats(b.LocalAddr(), a.LocalAddr()); back != (Counters{}) {
			t.Errorf("reverse direction counters %+v, want zero", back)
		}
	})
}

func TestSeedIsDeterministic(t *testing.T) {
	run := func() []int {
		var got []int
		synctest.Test(t, func(t *testing.T) {
			_, a, b := pair(t, LinkConfig{Loss: 0.3, Seed: 7})
			for i := range 200 {
				mustWrite(t, a, seqPacket(i, 10), b.LocalAddr())
			}
			time.Sleep(time.Millisecond)
			got = drain(t, b)
		})
		return got
	}
	x, y := run(), run()
	if len(x) < 100 || len(x) > 180 {
		t.Fatalf("delivered %d of 200 with 30%% loss", len(x))
	}
	if len(x) != len(y) {
		t.Fatalf("same seed delivered %d then %d packets", len(x), len(y))
	}
	for i := range x {
		if x[i] != y[i] {
			t.Fatalf("same seed diverged at %d: %d vs %d", i, x[i], y[i])
		}
	}
}

// TestRateLimit: 1000-byte packets at 100 kB/s leave the bottleneck every
// 10 ms, then cross the 5 ms delay.
func TestRateLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, a, b := pair(t, LinkConfig{Delay: 5 * time.Millisecond, Rate: 100e3})
		start := time.Now()
		for i := range 50 {
			mustWrite(t, a, seqPacket(i, 1000), b.LocalAddr())
		}
		buf := make([]byte, 2000)
		for i := range 50 {
			if _, _, err := b.ReadFrom(buf); err != nil {
				t.Fatal(err)
			}
			want := time.Duration(i+1)*10*time.Millisecond + 5*time.Millisecond
			if got := time.Since(start); got != want {
				t.Fatalf("packet %d arrived at %v, want %v", i, got, want)
			}
			if seq := int(binary.BigEndian.Uint32(buf)); seq != i {
				t.Fatalf("packet %d carries %d: reordered", i, seq)
			}
		}
	})
}

// TestQueueDrops: a 50 ms drop-tail queue at 100 kB/s holds five 1000-byte
// packets behind the one being sent; the rest of a burst is dropped.
func TestQueueDrops(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := pair(t, LinkConfig{Rate: 100e3, QueueLimit: 50 * time.Millisecond})
		for i := range 100 {
			mustWrite(t, a, seqPacket(i, 1000), b.LocalAddr())
		}
		time.Sleep(time.Second)
		got := drain(t, b)
		st := n.Stats(a.LocalAddr(), b.LocalAddr())
		if len(got) != 6 || st.Delivered != 6 || st.DroppedQueue != 94 {
			t.Errorf("delivered %v, counters %+v; want 6 delivered, 94 queue drops", got, st)
		}
		// Once drained, the queue accepts again.
		mustWrite(t, a, seqPacket(100, 1000), b.LocalAddr())
		time.Sleep(20 * time.Millisecond)
		if got := drain(t, b); len(got) != 1 || got[0] != 100 {
			t.Errorf("after the queue drained got %v", got)
		}
	})
}

func TestJitterReorderDuplicate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := pair(t, LinkConfig{Delay: 50 * time.Millisecond, Jitter: 10 * time.Millisecond, Seed: 3})
		start := time.Now()
		for i := range 200 {
			mustWrite(t, a, seqPacket(i, 10), b.LocalAddr())
		}
		buf := make([]byte, 64)
		seen := map[time.Duration]bool{}
		for range 200 {
			if _, _, err := b.ReadFrom(buf); err != nil {
				t.Fatal(err)
			}
			d := time.Since(start)
			if d < 40*time.Millisecond || d > 60*time.Millisecond {
				t.Fatalf("arrival at %v outside 50ms ± 10ms", d)
			}
			seen[d] = true
		}
		if len(seen) < 20 {
			t.Errorf("only %d distinct arrival times with jitter", len(seen))
		}

		n.SetLink(a.LocalAddr(), b.LocalAddr(), LinkConfig{Delay: time.Millisecond, Reorder: 0.25, ReorderDelay: 5 * time.Millisecond, Duplicate: 0.1, Seed: 4})
		for i := range 1000 {
			mustWrite(t, a, seqPacket(i, 10), b.LocalAddr())
			time.Sleep(time.Millisecond)
		}
		time.Sleep(10 * time.Millisecond)
		got := drain(t, b)
		st := n.Stats(a.LocalAddr(), b.LocalAddr())
		inversions := 0
		for i := 1; i < len(got); i++ {
			if got[i] < got[i-1] {
				inversions++
			}
		}
		if st.Reordered < 200 || st.Reordered > 300 || inversions == 0 {
			t.Errorf("reordered %d (want ~250), %d inversions", st.Reordered, inversions)
		}
		if st.Duplicated < 60 || st.Duplicated > 140 || uint64(len(got)) != 1000+st.Duplicated {
			t.Errorf("duplicated %d (want ~100), received %d", st.Duplicated, len(got))
		}
	})
}

func TestPerDirectionLinksAndMTU(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := pair(t, LinkConfig{MTU: 100})
		n.SetLink(a.LocalAddr(), b.LocalAddr(), LinkConfig{Delay: 100 * time.Millisecond, MTU: 100})
		start := time.Now()
		mustWrite(t, a, make([]byte, 101), b.LocalAddr())
		mustWrite(t, a, make([]byte, 100), b.LocalAddr())
		mustWrite(t, b, make([]byte, 100), a.LocalAddr())
		buf := make([]byte, 200)
		if n, _, err := a.ReadFrom(buf); err != nil || n != 100 || time.Since(start) != 0 {
			t.Fatalf("b→a: %d bytes, %v after %v; want 100 bytes at once", n, err, time.Since(start))
		}
		if n, _, err := b.ReadFrom(buf); err != nil || n != 100 || time.Since(start) != 100*time.Millisecond {
			t.Fatalf("a→b: %d bytes, %v after %v; want 100 bytes after 100ms", n, err, time.Since(start))
		}
		synctest.Wait() // the link goroutine counts a delivery after handing it over
		if st := n.Stats(a.LocalAddr(), b.LocalAddr()); st.DroppedMTU != 1 || st.Delivered != 1 {
			t.Errorf("a→b counters %+v", st)
		}
	})
}

// TestRealTime runs without synctest: concurrent writers, real timers.

// BenchmarkPacket measures one datagram through a perfect link: copy,
// schedule, timer delivery and read.
func BenchmarkPacket(b *testing.B) {
	n := New(LinkConfig{})
	defer n.Close()
	a, _ := n.Listen()
	c, _ := n.Listen()
	p := make([]byte, 1400)
	buf := make([]byte, 2048)
	b.SetBytes(int64(len(p)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.WriteTo(p, c.LocalAddr()); err != nil {
			b.Fatal(err)
		}
		if _, _, err := c.ReadFrom(buf); err != nil {
			b.Fatal(err)
		}
	}
}
