package engine

import (
	"net"
	"time"

	"github.com/jetstream-go/jetstream/net/wire"
)

// A client that proposes its own ticket (the daemon's createTicket takes a
// conversation id and key) sends its hello together with the request, a
// round trip before the answer. The hello then usually arrives before the
// daemon has logged the caller in and registered the session: the endpoint
// keeps it for a moment and hands it to the session that registers its
// conversation id.
//
// Held hellos are not authenticated yet (their key arrives with the
// ticket), so the pool is small, each entry short-lived, and a flood only
// evicts: the evicted client's hello retry (Config.HelloInterval) gets
// through once its session exists.
const (
	maxHeldHellos = 64
	heldHelloTTL  = 2 * time.Second
)

type heldHello struct {
	bp   *[]byte
	n    int
	h    wire.Header
	from net.Addr
	at   time.Time
}

// holdHello keeps a hello for an unknown conversation; it owns bp.
func (e *Endpoint) holdHello(bp *[]byte, n int, h wire.Header, from net.Addr, now time.Time) {
	bp = e.bufs.shrink(bp, n)
	e.heldMu.Lock()
	defer e.heldMu.Unlock()
	e.dropStaleHellos(now)
	if old, ok := e.held[h.Conv]; ok { // a retry: keep the newest
		e.putBuf(old.bp)
	} else if len(e.held) >= maxHeldHellos {
		e.evictOldestHello()
	}
	if e.held == nil {
		e.held = make(map[uint32]heldHello)
	}
	e.stats.held.Add(1)
	e.held[h.Conv] = heldHello{bp: bp, n: n, h: h, from: from, at: now}
}

// takeHello removes and returns the hello held for conv, if any and fresh.
func (e *Endpoint) takeHello(conv uint32, now time.Time) (heldHello, bool) {
	e.heldMu.Lock()
	defer e.heldMu.Unlock()
	e.dropStaleHellos(now)
	hh, ok := e.held[conv]
	if ok {
		delete(e.held, conv)
	}
	return hh, ok
}

// dropStaleHellos frees hellos older than heldHelloTTL. heldMu is held.
func (e *Endpoint) dropStaleHellos(now time.Time) {
	for c, hh := range e.held {
		if now.Sub(hh.at) > heldHelloTTL {
			e.putBuf(hh.bp)
			delete(e.held, c)
			e.stats.unknownConv.Add(1)
		}
	}
}

// evictOldestHello frees the oldest held hello. heldMu is held.
func (e *Endpoint) evictOldestHello() {
	var oldest uint32
	var at time.Time
	for c, hh := range e.held {
		if at.IsZero() || hh.at.Before(at) {
			oldest, at = c, hh.at
		}
	}
	if hh, ok := e.held[oldest]; ok {
		e.putBuf(hh.bp)
		delete(e.held, oldest)
		e.stats.unknownConv.Add(1)
	}
}

// freeHeldHellos drops every held hello (the endpoint is closing).
func (e *Endpoint) freeHeldHellos() {
	e.heldMu.Lock()
	defer e.heldMu.Unlock()
	for c, hh := range e.held {
		e.putBuf(hh.bp)
		delete(e.held, c)
	}
}

// deliverHeldHello feeds s the hello held for its conversation, if any.
// Only sessions that wait for a hello (Accept) take one.
func (e *Endpoint) deliverHeldHello(s *Session) {
	if s.connector {
		return
	}
	hh, ok := e.takeHello(s.conv, time.Now())
	if !ok {
		return
	}
	if !s.input(hh.bp, (*hh.bp)[:hh.n], hh.h, hh.from, hh.at) {
		e.putBuf(hh.bp)
	}
}
