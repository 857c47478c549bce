package engine

import (
	"crypto/sha256"
	"errors"
	"io"
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

	ra    *readAhead
	ready []readItem // blocks read ahead, in order
	digests []wire.FileDigest

	acked     rangeSet
	fifo      []flight
	head      int
	sent      map[uint64]sentInfo
	seq       uint32
	inflight  int
	retx      []uint64
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
	reread   bool // a retransmission read the file again
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
		depth = 256
	}
	sn.ra = newReadAhead(s.ep, sn.src, o.NoRead, sn.blockSize, sn.chunkBlocks, sn.dataOff, depth)
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
	if !sn.offered || len(sn.ready) >= 64 {
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
	burst := max(8*pkt, r*0.002)
	sn.bucket.setRate(r, int(burst), now)
	sn.s.stats.rate.Store(math.Float64bits(r))
}

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
		sn.offered = true
	case wire.FileResult:
		return sn.onResult(m)
	case wire.FinishAck:
		if !sn.finishSent {
			return errorf(CodeProtocol, "unexpected finish acknowledgement")
		}
		sn.s.complete()
	default:
		return errorf(CodeProtocol, "unexpected %T on the sending side", m)
	}
	return nil
}

func (sn *sender) file(idx uint64) (*sfile, error) {
	if idx >= uint64(len(sn.files)) {
		return nil, errorf(CodeProtocol, "result for unknown file %d", idx)
	}
	return sn.files[idx], nil
}

func (sn *sender) onResult(m wire.FileResult) error {
	f, err := sn.file(m.File)
	if err != nil {
		return err
	}
	if f.result {
		return nil
	}
	f.result = true
	sn.results++
	r := FileResult{Index: f.meta.Index, Path: f.meta.Path, Size: f.meta.Size}
	if m.Code != "" {
		r.Err = &Error{Code: Code(m.Code), Msg: m.Msg}
		sn.failFile(f, nil)
	} else {
		r.Hash = append([]byte(nil), m.Hash[:]...)
	}
	sn.closeFile(f)
	sn.s.observe(r)
	return nil
}

func (sn *sender) closeFile(f *sfile) {
	if f.reader != nil {
		f.reader.Close()
		f.reader = nil
	}
}

// failFile stops sending f; with a non-nil err the sink is told why.
func (sn *sender) failFile(f *sfile, err *Error) {
	if f.failed {
		return
	}
	f.failed = true
	sn.acked.add(f.first, f.first+f.nblocks, func(a, b uint64) { sn.forget(a, b) })
	if err != nil && !f.doneSent {
		f.doneSent = true
		sn.s.ctl.send(wire.FileFailed{File: uint64(f.meta.Index), Code: string(err.Code), Msg: err.Msg})
	}
}

// forget drops in-flight records of blocks [a, b) that no longer need sending.
func (sn *sender) forget(a, b uint64) {
	if len(sn.sent) == 0 {
		return
	}
	for x := a; x < b; x++ {
		if info, ok := sn.sent[x]; ok {
			sn.inflight -= int(info.size)
			delete(sn.sent, x)
		}
	}
}

func (sn *sender) tick(now time.Duration) {
	if !sn.offered {
		return
	}
	sn.list()
	sn.detectTimeouts(now)
	sn.pump(now)
	sn.flushDigests()
	if !sn.finishSent && sn.eolSent && sn.results == len(sn.files) {
		sn.finishSent = true
		sn.s.ctl.send(wire.Finish{})
	}
}

// list streams file metadata ahead of the data.
func (sn *sender) list() {
	for !sn.listDone && len(sn.ra.files) < listAheadFile && sn.s.ctl.kcp.WaitSnd() < kcpWindow {
		batch, err := sn.src.Next(listBatch)
		if err != nil && !errors.Is(err, io.EOF) {
			sn.s.abort(&Error{Code: CodeSourceUnreadable, Msg: "listing files: " + err.Error()}, true)
			return
		}
		if len(batch) > 0 {
			sn.addFiles(batch)
			if sn.s.finished {
				return
			}
		}
		if errors.Is(err, io.EOF) {
			sn.listDone = true
		} else if len(batch) == 0 {
			return
		}
	}
	if sn.listDone && !sn.eolSent {
		sn.eolSent = true
		sn.s.ctl.send(wire.EndOfList{Files: uint64(len(sn.files)), Blocks: sn.cursor})
	}
}

func (sn *sender) addFiles(batch []FileMeta) {
	metas := make([]wire.FileMeta, 0, len(batch))
	for _, m := range batch {
		if m.Index != len(sn.files) || m.Size < 0 || m.Path == "" {
			sn.s.abort(errorf(CodeProtocol, "source listed file %d (%q, size %d) out of order or invalid", m.Index, m.Path, m.Size), true)
			return
		}
		f := &sfile{meta: m, first: sn.cursor}
		if !m.EmptyDir {
			f.nblocks = blocksOf(m.Size, sn.blockSize)
		}
		nchunks := (f.nblocks + sn.chunkBlocks - 1) / sn.chunkBlocks
		f.digests, f.have = make([][32]byte, nchunks), make([]bool, nchunks)
		sn.cursor += f.nblocks
		sn.files = append(sn.files, f)
		sn.s.stats.totalBytes.Add(m.Size)
		sn.s.stats.totalBlocks.Add(int64(f.nblocks))
		wm := wire.FileMeta{Index: uint64(m.Index), Path: m.Path, Size: uint64(m.Size), Mode: uint32(m.Mode),
			Mtime: unixNano(m.Mtime), FirstBlock: f.first}
		if m.EmptyDir {
			wm.Flags |= wire.FileEmptyDir
		}
		raf := &raFile{idx: m.Index, meta: m, first: f.first, nblocks: f.nblocks}
		if rf := sn.resume[uint64(m.Index)]; rf != nil && rf.Path == m.Path && rf.Size == uint64(m.Size) && rf.Mtime == wm.Mtime {
			wm.Flags |= wire.FileResumed
			sn.applyResume(f, rf, raf)
		}
		metas = append(metas, wm)
		if !f.failed {
			sn.ra.files <- raf
		}
	}
	sn.s.ctl.send(wire.Files{Files: metas})
}

// applyResume marks what the sink already holds of f.
func (sn *sender) applyResume(f *sfile, rf *wire.ResumeFile, raf *raFile) {
	if rf.Done {
		f.readDone, f.doneSent, f.failed = true, true, true // the sink answers with its saved result
		sn.acked.add(f.first, f.first+f.nblocks, nil)
		f.acked = f.nblocks
		return
	}
	for _, r := range rf.Ranges {
		if r.End > f.nblocks || r.Start >= r.End {
			continue
		}
		n := sn.acked.add(f.first+r.Start, f.first+r.End, nil)
		f.acked += n
		sn.s.stats.blocksAcked.Add(int64(n))
		for b := r.Start; b < r.End; b++ {
			sn.s.stats.bytesAcked.Add(int64(blockLen(f.meta.Size, sn.blockSize, b)))
		}
		raf.skip = append(raf.skip, r)
	}
	raf.known = make([]bool, len(f.have))
	for _, d := range rf.Digests {
		if d.Chunk < uint64(len(f.have)) {
			f.digests[d.Chunk], f.have[d.Chunk] = d.Sum, true
			raf.known[d.Chunk] = true
		}
	}
}

func (sn *sender) onReadItem(it readItem) {
	f := sn.files[it.file]
	switch it.kind {
	case itemOpen:
		if f.failed || f.result {
			it.reader.Close()
			return
		}
		f.reader = it.reader
		sn.curFile = it.file
		p := f.meta.Path
		sn.s.stats.current.Store(&p)
	case itemBlock:
		sn.ready = append(sn.ready, it)
	case itemDigest:
		if it.block < uint64(len(f.have)) && !f.have[it.block] {
			f.digests[it.block], f.have[it.block] = it.sum, true
			sn.digests = append(sn.digests, wire.FileDigest{File: uint64(it.file), Digest: wire.Digest{Chunk: it.block, Sum: it.sum}})
		}
	case itemEnd:
		f.readDone = true
		sn.maybeDone(f)
	case itemErr:
		sn.failFile(f, asError(it.err))
		sn.closeFile(f)
	}
}

func (sn *sender) flushDigests() {
	for len(sn.digests) > 0 {
		n := min(len(sn.digests), wire.MaxBatch)
		sn.s.ctl.send(wire.Digests{Digests: sn.digests[:n]})
		sn.digests = sn.digests[n:]
	}
	sn.digests = nil
}

// maybeDone sends FileDone once every block of f is acked and f was read completely.
func (sn *sender) maybeDone(f *sfile) {
	if f.doneSent || f.failed || !f.readDone || f.acked < f.nblocks {
		return
	}
	sn.flushDigests() // digests precede FileDone on the ordered stream
	if f.reread && f.reader != nil { // retransmissions re-read the file after the reader's check
		if err := f.reader.Check(); err != nil {
			sn.failFile(f, asSourceErr(err))
			sn.closeFile(f)
			return
		}
	}
	f.doneSent = true
	m := wire.FileDone{File: uint64(f.meta.Index), Unverified: sn.opts.NoRead}
	if !sn.opts.NoRead {
		h := sha256.New()
		for _, d := range f.digests {
			h.Write(d[:])
		}
		h.Sum(m.Hash[:0])
	}
	sn.s.ctl.send(m)
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
		)
		switch {
		case len(sn.retx) > 0:
			block = sn.retx[0]
			if sn.acked.contains(block) {
				sn.retx = sn.retx[1:]
				continue
			}
		case len(sn.ready) > 0:
			it = &sn.ready[0]
			block = it.block
			if sn.acked.contains(block) || sn.files[it.file].failed {
				sn.s.ep.putBuf(it.bp)
				sn.popReady()
				continue
			}
		default:
			return
		}
		f := sn.fileOf(block)
		n := blockLen(f.meta.Size, sn.blockSize, block-f.first)
		size := sn.dataOff + n + sn.s.tx.overhead()
		if d := sn.bucket.delay(size, now); d > 0 {
			sn.s.wakeAt(now + d)
			return
		}
		var bp *[]byte
		if it != nil {
			bp = it.bp
			sn.popReady()
		} else {
			sn.retx = sn.retx[1:]
			bp = sn.s.ep.getBuf()
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
	}
	sn.s.wakeAt(now + time.Millisecond)
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

// onAck processes an aggregate range report.
func (sn *sender) onAck(p []byte, now time.Duration) {
	if err := wire.DecodeAck(p, &sn.ack); err != nil {
		sn.s.ep.stats.badHeader.Add(1)
		return
	}
	a := &sn.ack
	if a.Cum > sn.cursor || (len(a.Ranges) > 0 && a.Ranges[len(a.Ranges)-1].End > sn.cursor) {
		sn.s.abort(errorf(CodeProtocol, "ack for blocks beyond the listed files"), true)
		return
	}
	nowUs := uint32(now / time.Microsecond)
	var rtt time.Duration
	if d := int32(nowUs - a.EchoTime - a.HoldDelay); d > 0 {
		rtt = time.Duration(d) * time.Microsecond
		sn.updateRTT(rtt)
	}
	echoAt := now - time.Duration(int32(nowUs-a.EchoTime))*time.Microsecond
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

// detectLosses walks the in-flight queue (oldest first) after an ack.
func (sn *sender) detectLosses(now, echoAt time.Duration) {
	tol := sn.srtt/4 + 2*time.Millisecond // reordering tolerance
	rto := sn.rto()
	for sn.head < len(sn.fifo) {
		e := sn.fifo[sn.head]
		info, ok := sn.sent[e.block]
		if !ok || info.seq != e.seq {
			sn.head++
			continue
		}
		switch {
		case e.sentAt+rto <= now:
		case e.sentAt+tol <= echoAt && sn.knownMissing(e.block):
		default:
			sn.compact()
			return
		}
		sn.lose(e.block, info)
		sn.head++
	}
	sn.compact()
}

// detectTimeouts declares blocks lost after an RTO without acks, backing off.
func (sn *sender) detectTimeouts(now time.Duration) {
	rto := sn.rto()
	lost := false
	for sn.head < len(sn.fifo) {
		e := sn.fifo[sn.head]
		info, ok := sn.sent[e.block]
		if !ok || info.seq != e.seq {
			sn.head++
			continue
		}
		if e.sentAt+rto > now {
			sn.s.wakeAt(e.sentAt + rto)
			break
		}
		sn.lose(e.block, info)
		sn.head++
		lost = true
	}
	sn.compact()
	if lost && now-sn.lastAck > rto && now-sn.lastTimeout > rto {
		sn.lastTimeout = now
		sn.backoff = min(sn.backoff+1, maxBackoff)
	}
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

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}
