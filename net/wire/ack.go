package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// MaxAckRanges bounds the number of ranges one Ack may carry.
const MaxAckRanges = 8192

// AckRange is a half-open run [Start, End) of received blocks in an Ack.
//
// Within a report the blocks between consecutive ranges, and between Ack.Cum and the
// first range, are known to be missing at the receiver, unless the later range is
// Detached: then the state of the gap before it was not reported.
type AckRange struct {
	Start, End uint64
	Detached   bool
}

// Ack is the receiver's periodic aggregate report on data blocks. It acknowledges
// every block below Cum plus the listed ranges and carries timestamps for RTT,
// queueing-delay and delivery-rate samples.
type Ack struct {
	EchoTime     uint32     // SendTime of the newest data packet received
	HoldDelay    uint32     // µs between that packet's arrival and this report
	RecvTime     uint32     // receiver's clock (µs) at that arrival, for one-way delay samples
	DeliveryRate uint64     // bytes/s the receiver measured over the last report interval, 0 = unknown
	Cum          uint64     // all blocks < Cum have been received
	Ranges       []AckRange // ascending, non-overlapping, all >= Cum
}

// ErrBadRanges reports ranges that are empty, unordered, overlapping or overflow.
var ErrBadRanges = errors.New("wire: malformed ack ranges")

// AppendAck appends the encoding of a to b. Ranges must be valid (see Validate).
func AppendAck(b []byte, a *Ack) []byte {
	b = binary.BigEndian.AppendUint32(b, a.EchoTime)
	b = binary.BigEndian.AppendUint32(b, a.HoldDelay)
	b = binary.BigEndian.AppendUint32(b, a.RecvTime)
	b = binary.AppendUvarint(b, a.DeliveryRate)
	b = binary.AppendUvarint(b, a.Cum)
	b = binary.AppendUvarint(b, uint64(len(a.Ranges)))
	prev := a.Cum
	for _, r := range a.Ranges {
		b = binary.AppendUvarint(b, r.Start-prev)
		l := (r.End - r.Start) << 1
		if r.Detached {
			l |= 1
		}
		b = binary.AppendUvarint(b, l)
		prev = r.End
	}
	return b
}

// AckRangeSize is an upper bound of the encoded size of one range given the
// magnitudes involved (for budgeting reports).
func AckRangeSize(gap, length uint64) int {
	return uvarintLen(gap) + uvarintLen(length<<1|1)
}

func uvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

// Validate checks the range invariants of a.
func (a *Ack) Validate() error {
	prev := a.Cum
	for i, r := range a.Ranges {
		if r.End <= r.Start || r.Start < prev || (i > 0 && r.Start == prev) {
			return fmt.Errorf("%w: range %d [%d,%d)", ErrBadRanges, i, r.Start, r.End)
		}
		prev = r.End
	}
	return nil
}

// DecodeAck parses an Ack payload into a, reusing a.Ranges' storage.
func DecodeAck(p []byte, a *Ack) error {
	r := reader{b: p}
	a.EchoTime = r.u32()
	a.HoldDelay = r.u32()
	a.RecvTime = r.u32()
	a.DeliveryRate = r.uvarint()
	a.Cum = r.uvarint()
	n := r.count("ack range", MaxAckRanges, 2)
	a.Ranges = a.Ranges[:0]
	prev := a.Cum
	for i := 0; i < n && r.err == nil; i++ {
		gap := r.uvarint()
		l := r.uvarint()
		if r.err != nil {
			break
		}
		length := l >> 1
		if length == 0 || gap > math.MaxUint64-prev || length > math.MaxUint64-prev-gap {
			r.fail(fmt.Errorf("%w: range %d", ErrBadRanges, i))
			break
		}
		start := prev + gap
		a.Ranges = append(a.Ranges, AckRange{Start: start, End: start + length, Detached: l&1 == 1})
		prev = start + length
	}
	if err := r.done(); err != nil {
		return err
	}
	return a.Validate()
}
