package e2e

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// forwarder relays UDP between one client (the first address that sends to
// it) and an upstream address, and can black-hole both directions.
type forwarder struct {
	front    *net.UDPConn // what the client sends to
	back     *net.UDPConn // connected to upstream
	mu       sync.Mutex
	client   *net.UDPAddr
	blocked  atomic.Bool
	dropped  atomic.Int64
	relayed  atomic.Int64
	finished sync.WaitGroup
	keep     int      // how many client datagrams to capture for replay (set before start)
	capture  [][]byte // guarded by mu
}

// startForwarder relays to upstream until the test ends, capturing the first
// keep datagrams from the client for replay.
func startForwarder(t *testing.T, upstream *net.UDPAddr, keep int) *forwarder {
	t.Helper()
	front, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	back, err := net.DialUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}, upstream)
	if err != nil {
		front.Close()
		t.Fatal(err)
	}
	for _, c := range []*net.UDPConn{front, back} {
		c.SetReadBuffer(8 << 20)
		c.SetWriteBuffer(8 << 20)
	}
	f := &forwarder{front: front, back: back, keep: keep}
	f.finished.Add(2)
	go f.pump(true)
	go f.pump(false)
	t.Cleanup(func() {
		front.Close()
		back.Close()
		f.finished.Wait()
	})
	return f
}

func (f *forwarder) port() int { return f.front.LocalAddr().(*net.UDPAddr).Port }

// pump copies one direction until its socket is closed.
func (f *forwarder) pump(fromClient bool) {
	defer f.finished.Done()
	buf := make([]byte, 65536)
	for {
		var n int
		var from *net.UDPAddr
		var err error
		if fromClient {
			n, from, err = f.front.ReadFromUDP(buf)
		} else {
			n, err = f.back.Read(buf)
		}
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue // e.g. ECONNREFUSED from a previous send upstream
		}
		if f.blocked.Load() {
			f.dropped.Add(1)
			continue
		}
		f.relayed.Add(1)
		if fromClient {
			f.mu.Lock()
			f.client = from
			if len(f.capture) < f.keep {
				f.capture = append(f.capture, append([]byte(nil), buf[:n]...))
			}
			f.mu.Unlock()
			f.back.Write(buf[:n])
			continue
		}
		f.mu.Lock()
		to := f.client
		f.mu.Unlock()
		if to != nil {
			f.front.WriteToUDP(buf[:n], to)
		}
	}
}

// outage black-holes the link for d.
func (f *forwarder) outage(d time.Duration) {
	f.blocked.Store(true)
	time.Sleep(d)
	f.blocked.Store(false)
}

// replay sends the captured client datagrams upstream again, from the
// forwarder's own address (as the legitimate sender's seen by the server).
func (f *forwarder) replay() int {
	f.mu.Lock()
	pkts := f.capture
	f.mu.Unlock()
	for _, p := range pkts {
		f.back.Write(p)
	}
	return len(pkts)
}
