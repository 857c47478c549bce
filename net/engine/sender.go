package engine

import (
	"math"
	"sort"
	"time"

	"github.com/jetstream-go/jetstream/net/pacer"
	"github.com/jetstream-go/jetstream/net/wire"
)

// sender is the sending role of a session: file listing, paced block sending,
// ack processing, loss recovery and the per-file done protocol.
type sender struct {
	s           *Session
	src         Source
	opts        SendOptions
	ctrl        RateController
	bucket      bucket
	blockSize   uint64
	chunkBlocks uint64
	dataOff     int

	offered  bool // OfferAck received
	resume   map[uint64]*wire.ResumeFile
	listDone bool
	eolSent  bool
	cursor   uint64 // next free block in the layout
	files    []*sfile
	results  int

	ra       *readAhead
	ready    []readItem // blocks read ahead, in order
	readyCap int        // most blocks held in ready: a few send quanta
	digests  []wire.FileDigest

	acked     rangeSet
	fifo      []flight
	head      int
	sent      map[uint64]sentInfo
	seq       uint32
	inflight  int
	retx      []uint64
	copies    []uint64 // tail resends to send a second time (see atTail)
	ack       wire.Ack
	lostBytes int64

	srtt, rttvar time.Duration
	backoff      int
	lastAck      time.Duration
	lastTimeout  time.Duration
	finishSent   bool
	curFile      int
}

type sfile struct {
	meta     FileMeta
	first    uint64
	nblocks  uint64
	acked    uint64
	reader   SourceReader
	readDone bool
	reread   bool   // a retransmission read the file again
	changed  *Error // the check after such re-reads found the source changed
	doneSent bool
	failed   bool
	result   bool
	digests  [][32]byte
	have     []bool
}

type flight struct {
	block  uint64
	seq    uint32
	sentAt time.Duration
}

type sentInfo struct {
	seq  uint32
	size int32
}

const (
	listBatch     = 512
	listAheadFile = 2048
	chunkBytes    = 1 << 20
	initialRTO    = 500 * time.Millisecond
	minRTO        = 100 * time.Millisecond
	maxBackoff    = 5
	maxInflight   = 256 << 20
)

// defaultReadAhead is the read-ahead depth for datagram buffers of bufSize bytes:
// about readAheadBytes of them, at least 256 and at most 4096. Small datagrams
// (Ethernet paths) get a deeper queue, so a burst of small files keeps the pacer
// fed while the reader is descheduled for a few milliseconds.
func defaultReadAhead(bufSize int) int {
	return min(max(readAheadBytes/max(bufSize, 1), 256), 4096)
}

const readAheadBytes = 4 << 20

// readyBytes is about what the sender keeps at hand for the pacer: two
// bursts at 1 Gbit/s, so a late wake-up finds enough blocks to catch up.
const readyBytes = 512 << 10

func newSender(s *Session) (*sender, error) {
	o := s.side.Send
	sn := &sender{s: s, src: s.side.Source, opts: o, sent: make(map[uint64]sentInfo), curFile: -1}
	room := s.payloadRoom() - wire.DataHeaderLen
	bs := room
	if o.BlockSize > 0 {
		if o.BlockSize > room {
			return nil, errorf(CodeProtocol, "block size %d exceeds the %d bytes a datagram can carry", o.BlockSize, room)
		}
		bs = o.BlockSize
	}
	sn.blockSize = uint64(bs)
	sn.chunkBlocks = max(1, (chunkBytes+sn.blockSize-1)/sn.blockSize)
	sn.dataOff = wire.HeaderLen + wire.DataHeaderLen
	sn.readyCap = min(max(64, readyBytes/s.maxPkt), 256)
	sn.ctrl = o.Controller
	if sn.ctrl == nil {
		c, err := pacer.NewController(pacer.Config{Policy: o.Policy, MaxRate: o.MaxRate, MinRate: o.MinRate, InitialRate: o.InitialRate, MSS: s.maxPkt})
		if err != nil {
			return nil, &Error{Code: CodeProtocol, Msg: err.Error()}
		}
		sn.ctrl = c
	}
	sn.applyRate(0)
	depth := o.ReadAhead
	if depth <= 0 {
		depth = defaultReadAhead(s.maxPkt + 1)
	}
	// A sink without saved state has nothing to tell before the data: list
	// and send at once instead of a round trip later, on its OfferAck.
	sn.offered = s.peerFresh
	sn.ra = newReadAhead(s.ep, sn.src, o.NoRead, sn.blockSize, sn.chunkBlocks, sn.dataOff, depth, s.maxPkt+1)
	var flags uint32
	if o.NoRead {
		flags |= wire.OfferNoRead
	}
	s.ctl.send(wire.Offer{BlockSize: uint32(sn.blockSize), ChunkBlocks: uint32(sn.chunkBlocks), Flags: flags})
	return sn, nil
}

func (sn *sender) stop() {
	sn.ra.stop()
	for _, it := range sn.ready {
		releaseItem(sn.s.ep, it)
	}
	sn.ready = nil
	for _, f := range sn.files {
		if f.reader != nil {
			f.reader.Close()
			f.reader = nil
		}
	}
}

func (sn *sender) readChan() <-chan readItem {
	if !sn.offered || len(sn.ready) >= sn.readyCap {
		return nil
	}
	return sn.ra.out
}

func (sn *sender) setRate(minRate, maxRate float64, p pacer.Policy) error {
	if err := sn.ctrl.SetLimits(minRate, maxRate); err != nil {
		return &Error{Code: CodeProtocol, Msg: err.Error()}
	}
	sn.ctrl.SetPolicy(p)
	sn.applyRate(sn.s.now())
	return nil
}

func (sn *sender) applyRate(now time.Duration) {
	r := sn.ctrl.Rate()
	pkt := float64(sn.s.maxPkt)
	burst := max(8*pkt, r*burstTime)
	// Send in quanta of about a millisecond of data (what TCP's TSO autosizing
	// puts in one burst), at most one GSO message.
	quantum := min(max(pkt, r*0.001), maxSendQuantum)
	sn.bucket.setRate(r, int(burst), int(quantum), now)
	sn.s.stats.rate.Store(math.Float64bits(r))
}

// burstTime is how much sending time the pacer may catch up at once after
// a late wake-up. The session loop wakes about once per millisecond quantum
// but on a busy host often a few milliseconds late; with 2 ms of credit the
// excess was lost and a 500 Mbit/s pacer sent 491 (-1.8 %); with 4 ms it
// sends 499, and the bottleneck's mean queue grows from 1.4 to 3.3 ms.
const burstTime = 0.004 // seconds

func (sn *sender) onMsg(m wire.Msg, now time.Duration) error {
	switch m := m.(type) {
	case wire.Resume:
		if sn.offered {
			return errorf(CodeProtocol, "resume state after the offer was acknowledged")
		}
		if sn.resume == nil {
			sn.resume = make(map[uint64]*wire.ResumeFile)
		}
		for i := range m.Files {
			sn.resume[m.Files[i].Index] = &m.Files[i]
		}
	case wire.OfferAck:
		sn.offered = true // already, when the sink's hello said it was fresh
	case wire.FileResult:
		return sn.onResult(m)
	case wire.Complete:
		if !sn.eolSent || sn.results != len(sn.files) {
			return errorf(CodeProtocol, "complete before every file has a result")
		}
		// Done: the ack of Complete, already on its way (input acks at
		// once), tells the receiver that every result arrived.
		sn.s.complete()
	default:
		return errorf(CodeProtocol, "unexpected %T on the sending side", m)
	}
	return nil
}

func (sn *sender) tick(now time.Duration) {
	if !sn.offered {
		return
	}
	sn.list()
	sn.detectTimeouts(now)
	sn.pump(now)
	sn.flushDigests()
	if sn.eolSent && sn.results == len(sn.files) {
		sn.sendFinish(now)
	}
}

// sendFinish tells the receiver, once, that every result arrived.
func (sn *sender) sendFinish(now time.Duration) {
	if !sn.finishSent {
		sn.finishSent = true
		sn.s.ctl.send(wire.Finish{})
	}
}

// window is the most data allowed in flight.
func (sn *sender) window() int {
	rate := sn.ctrl.Rate()
	rtt := max(sn.srtt, 20*time.Millisecond)
	if sn.srtt == 0 {
		rtt = 100 * time.Millisecond
	}
	w := 2 * rate * rtt.Seconds()
	if math.IsInf(w, 0) || w > maxInflight {
		w = maxInflight
	}
	return max(int(w), 64*sn.s.maxPkt)
}

// pump sends retransmissions first, then new blocks, as the pacer allows.
func (sn *sender) pump(now time.Duration) {
	win := sn.window()
	for i := 0; i < 4*batchSize && !sn.s.finished; i++ {
		if sn.inflight >= win {
			return
		}
		var (
			block uint64
			it    *readItem
			q     *[]uint64 // the queue block comes from: retx or copies
		)
		switch {
		case len(sn.retx) > 0:
			q = &sn.retx
		case len(sn.ready) > 0:
			it = &sn.ready[0]
			block = it.block
			if sn.acked.contains(block) || sn.files[it.file].failed {
				sn.s.ep.putBuf(it.bp)
				sn.popReady()
				continue
			}
		case len(sn.copies) > 0:
			q = &sn.copies
		default:
			if !sn.probeTail(now) {
				return
			}
			continue
		}
		var prev int32 // bytes of a copy's first send, still in flight
		if q != nil {
			block = (*q)[0]
			info, inFlight := sn.sent[block]
			if sn.acked.contains(block) || q == &sn.copies && !inFlight {
				*q = (*q)[1:]
				continue // acked, or declared lost again (and queued in retx)
			}
			prev = info.size // a resend's is 0: lose forgot it
		}
		f := sn.fileOf(block)
		n := blockLen(f.meta.Size, sn.blockSize, block-f.first)
		size := sn.dataOff + n + sn.s.tx.overhead() + ipUDPOverhead
		if d := sn.bucket.delay(size, now); d > 0 {
			sn.s.wakeAt(now + d)
			return
		}
		var bp *[]byte
		if it != nil {
			bp = it.bp
			sn.popReady()
		} else {
			*q = (*q)[1:]
			bp = sn.s.ep.getBufN(sn.s.maxPkt + 1)
			data := (*bp)[sn.dataOff : sn.dataOff+n]
			switch {
			case sn.opts.NoRead:
				clear(data)
			case f.reader == nil:
				sn.s.ep.putBuf(bp)
				continue // file closed (failed); nothing to resend
			default:
				f.reread = true
				if _, err := f.reader.ReadAt(data, int64((block-f.first)*sn.blockSize)); err != nil {
					sn.s.ep.putBuf(bp)
					sn.failFile(f, asSourceErr(err))
					sn.closeFile(f)
					continue
				}
			}
			sn.s.stats.retx.Add(1)
		}
		sn.transmit(bp, block, n, size, now)
		if q == &sn.copies {
			// One record for both sends: an ack frees both, a loss (judged by
			// the copy's send time) accounts both.
			sn.sent[block] = sentInfo{seq: sn.seq, size: prev + int32(size)}
		} else if q != nil && sn.atTail() {
			sn.copies = append(sn.copies, block)
		}
	}
	sn.s.wakeAt(now + time.Millisecond)
}

// atTail reports whether everything is read and sent: only resends are left.
// A resend then goes out twice (the copy after the other pending resends), so
// losing one copy does not cost the transfer another round trip at its end:
// at 3 % loss the last round's few hundred resends would almost surely lose
// a few, and at the tail no later data can reveal that sooner than a probe.
// The copies cost well under 0.1 % of a large transfer's bytes.
func (sn *sender) atTail() bool {
	return len(sn.ready) == 0 && sn.eolSent && len(sn.files) > 0 && sn.files[len(sn.files)-1].readDone
}

func (sn *sender) popReady() {
	sn.ready[0] = readItem{}
	sn.ready = sn.ready[1:]
	if len(sn.ready) == 0 {
		sn.ready = nil
	}
}

func (sn *sender) transmit(bp *[]byte, block uint64, n, size int, now time.Duration) {
	sn.s.pn++
	pkt := (*bp)[:sn.dataOff+n]
	wire.PutHeader(pkt, wire.Header{Type: wire.TypeData, Conv: sn.s.conv, PN: sn.s.pn})
	wire.PutDataHeader(pkt[wire.HeaderLen:], block, uint32(now/time.Microsecond))
	sn.s.send(bp, pkt)
	sn.seq++
	sn.sent[block] = sentInfo{seq: sn.seq, size: int32(size)}
	sn.fifo = append(sn.fifo, flight{block: block, seq: sn.seq, sentAt: now})
	sn.inflight += size
	sn.s.stats.bytesSent.Add(int64(n))
	sn.s.stats.blocksSent.Add(1)
}

func (sn *sender) fileOf(block uint64) *sfile {
	i := sort.Search(len(sn.files), func(k int) bool { return sn.files[k].first+sn.files[k].nblocks > block })
	return sn.files[i]
}

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}
