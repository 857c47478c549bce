package netsim

import (
	"encoding/binary"
	"errors"
	"math"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func TestDeadlines(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, a, b := pair(t, LinkConfig{Delay: time.Second})
		start := time.Now()
		b.SetReadDeadline(start.Add(30 * time.Millisecond))
		_, _, err := b.ReadFrom(make([]byte, 10))
		var ne net.Error
		if !errors.Is(err, os.ErrDeadlineExceeded) || !errors.As(err, &ne) || !ne.Timeout() {
			t.Fatalf("ReadFrom error = %v, want a timeout", err)
		}
		if got := time.Since(start); got != 30*time.Millisecond {
			t.Errorf("timed out after %v, want 30ms", got)
		}

		// Moving the deadline wakes a blocked reader.
		b.SetReadDeadline(time.Now().Add(time.Hour))
		errc := make(chan error)
		go func() {
			_, _, err := b.ReadFrom(make([]byte, 10))
			errc <- err
		}()
		synctest.Wait()
		t0 := time.Now()
		b.SetReadDeadline(t0.Add(10 * time.Millisecond))
		if err := <-errc; !errors.Is(err, os.ErrDeadlineExceeded) || time.Since(t0) != 10*time.Millisecond {
			t.Fatalf("moved deadline: %v after %v", err, time.Since(t0))
		}

		// Clearing it lets a read wait for the (slow) packet.
		b.SetReadDeadline(time.Time{})
		mustWrite(t, a, []byte("late"), b.LocalAddr())
		if n, _, err := b.ReadFrom(make([]byte, 10)); err != nil || n != 4 {
			t.Fatalf("after clearing the deadline: %d, %v", n, err)
		}

		a.SetWriteDeadline(time.Now().Add(-time.Second))
		if _, err := a.WriteTo([]byte("x"), b.LocalAddr()); !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("WriteTo past the deadline = %v", err)
		}
		a.SetDeadline(time.Time{})
		mustWrite(t, a, []byte("x"), b.LocalAddr())
		if _, err := a.WriteTo([]byte("x"), nil); err == nil {
			t.Error("WriteTo(nil addr) succeeded")
		}
	})
}

func TestClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := pair(t, LinkConfig{Delay: 10 * time.Millisecond})
		errc := make(chan error)
		go func() {
			_, _, err := b.ReadFrom(make([]byte, 10))
			errc <- err
		}()
		synctest.Wait()
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		if err := <-errc; !errors.Is(err, net.ErrClosed) {
			t.Fatalf("blocked ReadFrom after Close = %v", err)
		}
		if err := b.Close(); !errors.Is(err, net.ErrClosed) {
			t.Errorf("second Close = %v", err)
		}
		if _, err := b.WriteTo([]byte("x"), a.LocalAddr()); !errors.Is(err, net.ErrClosed) {
			t.Errorf("WriteTo after Close = %v", err)
		}
		if err := b.SetReadDeadline(time.Now()); !errors.Is(err, net.ErrClosed) {
			t.Errorf("SetReadDeadline after Close = %v", err)
		}
		mustWrite(t, a, []byte("to nobody"), b.LocalAddr())
		time.Sleep(20 * time.Millisecond)
		if st := n.Stats(a.LocalAddr(), b.LocalAddr()); st.DroppedNoRoute != 1 {
			t.Errorf("counters %+v, want one no-route drop", st)
		}

		// Closing the network closes everything, in-flight packets included.
		mustWrite(t, b.(*conn).n.conns[a.LocalAddr().String()], []byte("self"), a.LocalAddr())
		go func() {
			_, _, err := a.ReadFrom(make([]byte, 10))
			errc <- err
		}()
		synctest.Wait()
		n.Close()
		if err := <-errc; !errors.Is(err, net.ErrClosed) {
			t.Fatalf("ReadFrom after Network.Close = %v", err)
		}
		if _, err := n.Listen(); !errors.Is(err, ErrNetworkClosed) {
			t.Errorf("Listen after Close = %v", err)
		}
		if err := n.Close(); err != nil {
			t.Errorf("second Network.Close = %v", err)
		}
	})
}

func TestRealTime(t *testing.T) {
	n := New(LinkConfig{Delay: 2 * time.Millisecond, Rate: 10e6})
	defer n.Close()
	srv, _ := n.Listen()
	const writers, each = 4, 250
	var wg sync.WaitGroup
	for w := range writers {
		c, err := n.Listen()
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if _, err := c.WriteTo(seqPacket(w*each+i, 100), srv.LocalAddr()); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	srv.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 200)
	seen := map[int]bool{}
	for len(seen) < writers*each {
		n, _, err := srv.ReadFrom(buf)
		if err != nil || n != 100 {
			t.Fatalf("after %d packets: %d, %v", len(seen), n, err)
		}
		seen[int(binary.BigEndian.Uint32(buf))] = true
	}
	start := time.Now()
	srv.SetReadDeadline(start.Add(20 * time.Millisecond))
	if _, _, err := srv.ReadFrom(buf); !errors.Is(err, os.ErrDeadlineExceeded) || time.Since(start) < 20*time.Millisecond {
		t.Errorf("real-time deadline: %v after %v", err, time.Since(start))
	}
}

func TestLinkConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		cfg LinkConfig
		err string
	}{
		{LinkConfig{Loss: 1.5}, "Loss 1.5"},
		{LinkConfig{Reorder: -0.1}, "Reorder -0.1"},
		{LinkConfig{Duplicate: math.NaN()}, "Duplicate NaN"},
		{LinkConfig{Delay: -1}, "negative duration"},
		{LinkConfig{Rate: math.Inf(1)}, "Rate +Inf"},
		{LinkConfig{MTU: -5}, "MTU -5"},
	} {
		if err := tc.cfg.Validate(); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("Validate(%+v) = %v, want %q", tc.cfg, err, tc.err)
		}
	}
	if err := (LinkConfig{Delay: time.Second, Loss: 1, Rate: 1, MTU: 1}).Validate(); err != nil {
		t.Errorf("valid config: %v", err)
	}
	// Out-of-range values are clamped, not fatal: Loss 2 drops everything.
	synctest.Test(t, func(t *testing.T) {
		n, a, b := pair(t, LinkConfig{Loss: 2, Delay: -time.Second, Rate: -1})
		mustWrite(t, a, []byte("x"), b.LocalAddr())
		time.Sleep(time.Millisecond)
		if st := n.Stats(a.LocalAddr(), b.LocalAddr()); st.DroppedLoss != 1 {
			t.Errorf("counters %+v", st)
		}
	})
}
