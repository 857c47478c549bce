package engine

import (
	"sort"
	"time"

	"github.com/jetstream-go/jetstream/net/pacer"
	"github.com/jetstream-go/jetstream/net/wire"
)

// onAck processes an aggregate range report that arrived at at.
func (sn *sender) onAck(p []byte, now, at time.Duration) {
	if err := wire.DecodeAck(p, &sn.ack); err != nil {
		sn.s.ep.stats.badHeader.Add(1)
		return
	}
	a := &sn.ack
	if a.Cum > sn.cursor || (len(a.Ranges) > 0 && a.Ranges[len(a.Ranges)-1].End > sn.cursor) {
		sn.s.abort(errorf(CodeProtocol, "ack for blocks beyond the listed files"), true)
		return
	}
	atUs := uint32(at / time.Microsecond)
	var rtt time.Duration
	if d := int32(atUs - a.EchoTime - a.HoldDelay); d > 0 {
		rtt = time.Duration(d) * time.Microsecond
		sn.updateRTT(rtt)
	}
	echoAt := at - time.Duration(int32(atUs-a.EchoTime))*time.Microsecond
	var acked int64
	mark := func(x, y uint64) { acked += sn.markAcked(x, y) }
	sn.acked.add(0, a.Cum, mark)
	for _, r := range a.Ranges {
		sn.acked.add(r.Start, r.End, mark)
	}
	sn.lastAck = now
	sn.backoff = 0
	sn.lostBytes = 0
	sn.detectLosses(now, echoAt)
	sn.ctrl.OnSample(pacer.Sample{Now: now, RTT: rtt, OneWayDelay: time.Duration(int32(a.RecvTime-a.EchoTime)) * time.Microsecond,
		AckedBytes: acked, LostBytes: sn.lostBytes, DeliveryRate: float64(a.DeliveryRate)})
	sn.applyRate(now)
}

// markAcked accounts newly acknowledged blocks [x, y) and returns their bytes.
func (sn *sender) markAcked(x, y uint64) int64 {
	var bytes int64
	i := sort.Search(len(sn.files), func(k int) bool { return sn.files[k].first+sn.files[k].nblocks > x })
	for ; i < len(sn.files) && sn.files[i].first < y; i++ {
		f := sn.files[i]
		lo, hi := max(x, f.first), min(y, f.first+f.nblocks)
		if lo >= hi {
			continue
		}
		f.acked += hi - lo
		for b := lo; b < hi; b++ {
			bytes += int64(blockLen(f.meta.Size, sn.blockSize, b-f.first))
			if info, ok := sn.sent[b]; ok {
				sn.inflight -= int(info.size)
				delete(sn.sent, b)
			}
		}
		sn.s.stats.blocksAcked.Add(int64(hi - lo))
		sn.maybeDone(f)
	}
	sn.s.stats.bytesAcked.Add(bytes)
	return bytes
}

func (sn *sender) updateRTT(r time.Duration) {
	if sn.srtt == 0 {
		sn.srtt, sn.rttvar = r, r/2
	} else {
		d := sn.srtt - r
		if d < 0 {
			d = -d
		}
		sn.rttvar = (3*sn.rttvar + d) / 4
		sn.srtt = (7*sn.srtt + r) / 8
	}
	sn.s.stats.rtt.Store(int64(sn.srtt))
}

func (sn *sender) rto() time.Duration {
	r := initialRTO
	if sn.srtt > 0 {
		r = max(2*sn.srtt+4*sn.rttvar, minRTO)
	}
	return r << sn.backoff
}

// knownMissing reports whether the last ack says block b is missing at the sink.
func (sn *sender) knownMissing(b uint64) bool {
	a := &sn.ack
	if b < a.Cum {
		return false
	}
	i := sort.Search(len(a.Ranges), func(k int) bool { return a.Ranges[k].End > b })
	if i == len(a.Ranges) {
		return false // above everything reported
	}
	r := a.Ranges[i]
	return b < r.Start && !r.Detached
}

// detectLosses walks the in-flight queue (oldest first) after an ack. A block
// is lost when a block sent after it (by more than the reordering tolerance)
// has been acked and either the ack reports it missing or it is older than
// an RTO (it may lie above everything the ack reports). Without that later
// ack, age alone proves nothing: after a stall of either host the acks of a
// whole window arrive late and in bursts, and declaring the window lost
// would send it all again (a 350 ms stall at 500 Mbit/s: 4,400 blocks).
func (sn *sender) detectLosses(now, echoAt time.Duration) {
	tol := sn.srtt/4 + 2*time.Millisecond // reordering tolerance
	rto := sn.rto()
	for {
		e, info, ok := sn.oldest()
		if !ok || e.sentAt+tol > echoAt || e.sentAt+rto > now && !sn.knownMissing(e.block) {
			break
		}
		sn.loseOldest(e, info)
	}
	sn.compact()
}

// detectTimeouts handles ack silence: after an RTO without any ack the
// oldest block in flight is resent as a probe, and the RTO backs off. The
// rest is not declared lost: silence is as often a stalled host (the acks
// wait in a socket buffer) as a lost window, and the acks that answer the
// probe tell which blocks are missing (detectLosses).
func (sn *sender) detectTimeouts(now time.Duration) {
	if sn.inflight <= 0 {
		return
	}
	rto := sn.rto()
	if next := max(sn.lastAck, sn.lastTimeout) + rto; now < next {
		sn.s.wakeAt(next)
		return
	}
	e, info, ok := sn.oldest()
	switch {
	case !ok:
	case e.sentAt+rto > now:
		sn.s.wakeAt(e.sentAt + rto)
	default:
		sn.loseOldest(e, info)
		sn.lastTimeout = now
		sn.backoff = min(sn.backoff+1, maxBackoff)
	}
}

// loseOlderThan declares lost every block in flight for age or longer (the
// in-flight queue is in send order), asks to be woken when the next one
// comes of age, and reports whether it declared any.
func (sn *sender) loseOlderThan(age, now time.Duration) bool {
	lost := false
	for {
		e, info, ok := sn.oldest()
		if !ok {
			break
		}
		if e.sentAt+age > now {
			sn.s.wakeAt(e.sentAt + age)
			break
		}
		sn.loseOldest(e, info)
		lost = true
	}
	sn.compact()
	return lost
}

// oldest returns the oldest block still in flight, first dropping queue
// entries that no longer describe a block's latest send (acked, lost, or
// sent again since).
func (sn *sender) oldest() (flight, sentInfo, bool) {
	for ; sn.head < len(sn.fifo); sn.head++ {
		e := sn.fifo[sn.head]
		if info, ok := sn.sent[e.block]; ok && info.seq == e.seq {
			return e, info, true
		}
	}
	return flight{}, sentInfo{}, false
}

// loseOldest declares the block oldest returned lost.
func (sn *sender) loseOldest(e flight, info sentInfo) {
	sn.lose(e.block, info)
	sn.head++
}

func (sn *sender) lose(block uint64, info sentInfo) {
	delete(sn.sent, block)
	sn.inflight -= int(info.size)
	sn.lostBytes += int64(info.size)
	sn.retx = append(sn.retx, block)
}

func (sn *sender) compact() {
	if sn.head > 1024 && sn.head*2 > len(sn.fifo) {
		n := copy(sn.fifo, sn.fifo[sn.head:])
		sn.fifo = sn.fifo[:n]
		sn.head = 0
	}
}

// tailAckSlack covers the receiver's ack delay (its AckInterval, 10 ms by
// default) and scheduling when probeTail decides an ack is overdue.
const tailAckSlack = 15 * time.Millisecond

// probeTail runs when the sender has nothing left to send: every block of
// every file is read and sent. Blocks then still unacknowledged a round trip
// (and a margin) after they left are queued for resending. At the end of a
// transfer no later block can reveal their loss, so waiting for the RTO
// (two round trips or more, then backed off if the resend is lost too)
// would leave the link idle for several round trips per lost tail block; a
// resend that proves unneeded costs one duplicate block on an otherwise idle
// link. It reports whether it queued anything.
func (sn *sender) probeTail(now time.Duration) bool {
	if !sn.eolSent || sn.srtt == 0 || len(sn.files) == 0 || !sn.files[len(sn.files)-1].readDone {
		return false
	}
	return sn.loseOlderThan(sn.srtt+sn.srtt/4+sn.rttvar+tailAckSlack, now)
}
