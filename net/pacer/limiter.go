package pacer

import (
	"fmt"
	"math"
	"sync"
)

// Direction is the direction of a transfer as seen by this server.
type Direction int

const (
	// Incoming is data this server receives.
	Incoming Direction = iota
	// Outgoing is data this server sends.
	Outgoing
)

// String returns "incoming" or "outgoing".
func (d Direction) String() string {
	switch d {
	case Incoming:
		return "incoming"
	case Outgoing:
		return "outgoing"
	}
	return fmt.Sprintf("Direction(%d)", int(d))
}

// Limits are the server-wide bandwidth caps (the API's
// updateBandwidthLimits, converted to bytes/s).
type Limits struct {
	// Incoming and Outgoing cap each direction in bytes/s; 0 = no cap.
	Incoming, Outgoing float64
	// BorrowIncoming lets outgoing traffic use the part of the incoming cap
	// that incoming traffic leaves unused (--borrow-incoming-rate).
	BorrowIncoming bool
	// BorrowOutgoing lets incoming traffic use the part of the outgoing cap
	// that outgoing traffic leaves unused (--borrow-outgoing-rate).
	BorrowOutgoing bool
}

// Validate reports a cap that is negative or not finite.
func (l Limits) Validate() error {
	if err := checkRate("incoming limit", l.Incoming); err != nil {
		return err
	}
	return checkRate("outgoing limit", l.Outgoing)
}

// sanitized replaces invalid caps by 0 (no cap).
func (l Limits) sanitized() Limits {
	if checkRate("", l.Incoming) != nil {
		l.Incoming = 0
	}
	if checkRate("", l.Outgoing) != nil {
		l.Outgoing = 0
	}
	return l
}

// Limiter shares server-wide caps between the two directions with optional
// borrowing. It is safe for concurrent use.
type Limiter struct {
	mu sync.Mutex
	l  Limits
}

// NewLimiter returns a Limiter enforcing l. Invalid caps (see
// Limits.Validate) are treated as "no cap".
func NewLimiter(l Limits) *Limiter { return &Limiter{l: l.sanitized()} }

// Update replaces the limits; the next Allowance uses them.
func (lm *Limiter) Update(l Limits) {
	lm.mu.Lock()
	lm.l = l.sanitized()
	lm.mu.Unlock()
}

// Limits returns the limits in force.
func (lm *Limiter) Limits() Limits {
	lm.mu.Lock()
	defer lm.mu.Unlock()
	return lm.l
}

// Allowance returns the aggregate rate in bytes/s that direction dir may use
// now, given what each direction currently wants (demandIn, demandOut, the
// sums of their transfers' target rates). It is the direction's own cap plus,
// when borrowing is on, whatever the other direction's cap leaves unused.
// +Inf means no cap. Example: caps 200 in + 300 out with BorrowIncoming
// give outgoing 500 while nothing comes in, and 300 again once incoming
// traffic wants its 200.
func (lm *Limiter) Allowance(dir Direction, demandIn, demandOut float64) float64 {
	lm.mu.Lock()
	l := lm.l
	lm.mu.Unlock()
	own, other, otherDemand, borrow := l.Incoming, l.Outgoing, demandOut, l.BorrowOutgoing
	if dir == Outgoing {
		own, other, otherDemand, borrow = l.Outgoing, l.Incoming, demandIn, l.BorrowIncoming
	}
	if own == 0 {
		return math.Inf(1)
	}
	if !borrow || other == 0 {
		return own
	}
	if !(otherDemand > 0) { // negative or NaN demand counts as none
		otherDemand = 0
	}
	return own + math.Max(other-otherDemand, 0)
}
