package engine

import (
	"time"

	"github.com/jetstream-go/jetstream/net/wire"
)

// sendAck sends an aggregate range report.
func (r *receiver) sendAck(now time.Duration) {
	a := &r.ackBuf
	a.EchoTime = r.newestSend
	// The newest datagram counts as received once the standing lag is
	// through: a backlog in this process is part of the path, a spell
	// without the CPU is not (lagFilter).
	recv := min(r.newestAt+r.lag.standing(r.newestAt), now)
	a.HoldDelay = uint32((now - recv) / time.Microsecond)
	a.RecvTime = uint32(recv / time.Microsecond)
	a.DeliveryRate = r.delivery.report(now)
	set := r.ackSet()
	rs := set.r
	a.Cum = set.cumFrom(0)
	if len(rs) > 0 && rs[0].Start == 0 {
		rs = rs[1:]
	}
	a.Ranges = a.Ranges[:0]
	budget := r.s.payloadRoom() - 40
	// Lowest ranges first (they hold the oldest holes), then the newest ones.
	used, i := 0, 0
	prev := a.Cum
	for ; i < len(rs) && used < budget/2; i++ {
		used += wire.AckRangeSize(rs[i].Start-prev, rs[i].End-rs[i].Start)
		a.Ranges = append(a.Ranges, wire.AckRange{Start: rs[i].Start, End: rs[i].End})
		prev = rs[i].End
	}
	if i < len(rs) {
		j := len(rs)
		for j > i && used < budget {
			j--
			used += wire.AckRangeSize(1<<40, rs[j].End-rs[j].Start)
		}
		for k := j; k < len(rs); k++ {
			a.Ranges = append(a.Ranges, wire.AckRange{Start: rs[k].Start, End: rs[k].End, Detached: k == j && j > i})
		}
	}
	bp, pkt := r.s.packet(wire.TypeAck)
	pkt = wire.AppendAck(pkt, a)
	r.s.send(bp, pkt)
	r.pending = 0
}
