package linkemu

import (
	"sync"
	"time"
)

// packet is one forwarded packet waiting for its departure time.
type packet struct {
	buf    *[]byte
	n      int
	depart time.Duration
	seq    uint64 // arrival order: breaks ties so equal times stay FIFO
}

func (p packet) before(q packet) bool {
	return p.depart < q.depart || (p.depart == q.depart && p.seq < q.seq)
}

// delayLine holds packets until they are due, earliest first. The reader
// goroutine pushes and the writer goroutine pops; it is bounded.
type delayLine struct {
	mu   sync.Mutex
	h    []packet // binary min-heap on (depart, seq)
	max  int
	next uint64
}

func newDelayLine(max int) *delayLine { return &delayLine{max: max} }

// push adds p. It reports false when the line is full (p is not added) and
// whether p is now the earliest packet, in which case a sleeping writer
// must be woken.
func (d *delayLine) push(p packet) (added, head bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.h) >= d.max {
		return false, false
	}
	p.seq = d.next
	d.next++
	d.h = append(d.h, p)
	i := len(d.h) - 1
	for i > 0 {
		parent := (i - 1) / 2
		if !d.h[i].before(d.h[parent]) {
			break
		}
		d.h[i], d.h[parent] = d.h[parent], d.h[i]
		i = parent
	}
	return true, i == 0
}

// popDue appends every packet due at or before now to out, in departure
// order, and returns the departure time of the earliest remaining packet
// (ok false when none remain).
func (d *delayLine) popDue(now time.Duration, out []packet) (_ []packet, next time.Duration, ok bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for len(d.h) > 0 && d.h[0].depart <= now {
		out = append(out, d.h[0])
		d.pop()
	}
	if len(d.h) == 0 {
		return out, 0, false
	}
	return out, d.h[0].depart, true
}

// drain removes and returns every packet regardless of time.
func (d *delayLine) drain() []packet {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := d.h
	d.h = nil
	return out
}

func (d *delayLine) pop() {
	last := len(d.h) - 1
	d.h[0] = d.h[last]
	d.h[last] = packet{}
	d.h = d.h[:last]
	i := 0
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(d.h) && d.h[l].before(d.h[m]) {
			m = l
		}
		if r < len(d.h) && d.h[r].before(d.h[m]) {
			m = r
		}
		if m == i {
			return
		}
		d.h[i], d.h[m] = d.h[m], d.h[i]
		i = m
	}
}
