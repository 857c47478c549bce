package netsim

import (
	"container/heap"
	"hash/fnv"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// packet is a datagram in flight.
type packet struct {
	at   time.Time // delivery time
	seq  uint64    // tie-break: FIFO among equal delivery times
	data []byte
	from *net.UDPAddr
}

// link is one direction of one path: it owns the random source, the
// bottleneck queue and the packets in flight, delivered in order by a
// single timer.
type link struct {
	n        *Network
	from, to string

	mu        sync.Mutex
	cfg       LinkConfig
	rng       *rand.Rand
	busyUntil time.Time // when the bottleneck finishes its queue
	pending   pktHeap
	seq       uint64
	timer     *time.Timer
	armed     time.Time // delivery time the timer is set for (zero = none)
	stopped   bool

	sent, delivered, lost, queued, mtu, noRoute, buffer, dup, reordered atomic.Uint64
}

func newLink(n *Network, from, to string, cfg LinkConfig) *link {
	l := &link{n: n, from: from, to: to}
	l.configure(cfg)
	return l
}

// configure installs cfg and reseeds the random source. Caller holds l.mu
// or owns l exclusively.
func (l *link) configure(cfg LinkConfig) {
	h := fnv.New64a()
	h.Write([]byte(l.from + ">" + l.to))
	l.cfg = cfg.sanitized()
	l.rng = rand.New(rand.NewPCG(uint64(cfg.Seed), h.Sum64()))
}

func (l *link) setConfig(cfg LinkConfig) {
	l.mu.Lock()
	l.configure(cfg)
	l.mu.Unlock()
}

// send runs one datagram through loss, MTU, the bottleneck queue, delay,
// jitter, reordering and duplication, and schedules its delivery.
func (l *link) send(data []byte, from *net.UDPAddr) {
	l.sent.Add(1)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stopped {
		l.noRoute.Add(1)
		return
	}
	c := &l.cfg
	if len(data) > c.MTU {
		l.mtu.Add(1)
		return
	}
	if c.Loss > 0 && l.rng.Float64() < c.Loss {
		l.lost.Add(1)
		return
	}
	now := time.Now()
	depart := now
	if c.Rate > 0 {
		start := now
		if l.busyUntil.After(now) {
			start = l.busyUntil
		}
		if c.QueueLimit > 0 && start.Sub(now) > c.QueueLimit {
			l.queued.Add(1)
			return
		}
		l.busyUntil = start.Add(time.Duration(float64(len(data)) / c.Rate * float64(time.Second)))
		depart = l.busyUntil
	}
	delay := c.Delay
	if c.Jitter > 0 {
		delay += time.Duration(l.rng.Int64N(2*int64(c.Jitter)+1)) - c.Jitter
		delay = max(delay, 0)
	}
	if c.Reorder > 0 && l.rng.Float64() < c.Reorder {
		delay += c.ReorderDelay
		l.reordered.Add(1)
	}
	at := depart.Add(delay)
	l.push(packet{at: at, data: data, from: from})
	if c.Duplicate > 0 && l.rng.Float64() < c.Duplicate {
		l.dup.Add(1)
		l.push(packet{at: at, data: append([]byte(nil), data...), from: from})
	}
	l.arm(now)
}

func (l *link) push(p packet) {
	l.seq++
	p.seq = l.seq
	heap.Push(&l.pending, p)
}

// arm makes sure the timer fires for the earliest pending packet. Caller
// holds l.mu.
func (l *link) arm(now time.Time) {
	if len(l.pending) == 0 || l.stopped {
		return
	}
	next := l.pending[0].at
	if !l.armed.IsZero() && !next.Before(l.armed) {
		return
	}
	l.armed = next
	if l.timer == nil {
		l.timer = time.AfterFunc(next.Sub(now), l.fire)
		return
	}
	l.timer.Reset(next.Sub(now))
}

// fire delivers every packet that is due, in order, and re-arms. Delivery
// happens under l.mu so concurrent firings cannot reorder packets.
func (l *link) fire() {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	l.armed = time.Time{}
	for len(l.pending) > 0 && !l.pending[0].at.After(now) {
		p := heap.Pop(&l.pending).(packet)
		if l.stopped {
			continue
		}
		dst := l.n.lookup(l.to)
		switch {
		case dst == nil:
			l.noRoute.Add(1)
		case dst.deliver(p):
			l.delivered.Add(1)
		default:
			l.buffer.Add(1)
		}
	}
	l.arm(now)
}

// stop drops everything in flight and disarms the timer.
func (l *link) stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stopped = true
	l.pending = nil
	if l.timer != nil {
		l.timer.Stop()
	}
}

func (l *link) counters() Counters {
	return Counters{
		Sent:           l.sent.Load(),
		Delivered:      l.delivered.Load(),
		DroppedLoss:    l.lost.Load(),
		DroppedQueue:   l.queued.Load(),
		DroppedMTU:     l.mtu.Load(),
		DroppedNoRoute: l.noRoute.Load(),
		DroppedBuffer:  l.buffer.Load(),
		Duplicated:     l.dup.Load(),
		Reordered:      l.reordered.Load(),
	}
}

// pktHeap orders packets by delivery time, then by send order.
type pktHeap []packet

func (h pktHeap) Len() int { return len(h) }
func (h pktHeap) Less(i, j int) bool {
	if h[i].at.Equal(h[j].at) {
		return h[i].seq < h[j].seq
	}
	return h[i].at.Before(h[j].at)
}
func (h pktHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *pktHeap) Push(x any)   { *h = append(*h, x.(packet)) }
func (h *pktHeap) Pop() any {
	old := *h
	p := old[len(old)-1]
	old[len(old)-1] = packet{}
	*h = old[:len(old)-1]
	return p
}
