package engine

import (
	"crypto/sha256"
	"hash"
	"io/fs"
	"sort"
	"time"

	"github.com/jetstream-go/jetstream/net/wire"
)

// receiver is the receiving role: it lands files through the Sink, writes blocks at
// their offsets, hashes chunks, acks in aggregate range reports, checkpoints and
// commits files when the sender's FileDone hash matches.
type receiver struct {
	s           *Session
	sink        Sink
	opts        RecvOptions
	key         string
	noWrite     bool
	offered     bool
	blockSize   uint64
	chunkBlocks uint64
	cp          map[uint64]*CheckpointFile

	files   []*rfile
	extent  uint64 // end of the block space described so far
	got     rangeSet
	eol     bool
	results int

	// ack state
	pending     int
	ackDue      time.Duration
	newestSend  uint32
	newestAt    time.Duration
	rateBytes   int64
	rateSince   time.Duration
	lastRate    uint64
	ackBuf      wire.Ack
	checkpoints time.Duration
	nextCkpt    time.Duration
	dirty       bool
	chunkBuf    []byte

	worker     *diskWorker
	workerDone bool
	jobs        []diskJob // waiting for room in the worker's queue
	ckptBusy    bool
	pendingBufs int
}

type fileState uint8

const (
	fileOpen fileState = iota
	fileDone
	fileFailed
	fileCommitting // fully received and verified; the disk worker commits it
)

type rfile struct {
	meta    FileMeta
	first   uint64
	n       uint64
	recv    uint64
	sf      SinkFile
	host    string
	state   fileState
	chunks  []chunkState
	done    *wire.FileDone
	written bool // written since the last checkpoint
	opening bool // the disk worker is landing it
	pending []pendingWrite
	code    string
	msg     string
	sum     []byte
}

// pendingWrite is a block received while its file was being opened.
type pendingWrite struct {
	bp    *[]byte
	block uint64
	data  []byte
}

// maxPendingBufs bounds the datagram buffers parked for files being opened.
const maxPendingBufs = 1024

type chunkState struct {
	got, next uint32
	h         hash.Hash
	broken    bool // completed out of order: hash by reading back
	own, snd  [32]byte
	ownOK     bool
	sndOK     bool
}

func newReceiver(s *Session) *receiver {
	r := &receiver{s: s, sink: s.side.Sink, opts: s.side.Recv, key: s.ticket.TransferKey, noWrite: s.side.Sink.NoWrite()}
	if r.opts.AckInterval <= 0 {
		r.opts.AckInterval = 10 * time.Millisecond
	}
	if r.opts.AckPackets <= 0 {
		r.opts.AckPackets = 64
	}
	r.checkpoints = r.sink.CheckpointEvery()
	r.worker = newDiskWorker(r.sink, r.key)
	return r
}

// results is the disk worker's result channel (nil once it stopped).
func (r *receiver) diskResults() <-chan diskResult {
	if r.workerDone {
		return nil
	}
	return r.worker.results
}

// stopWorker finishes queued disk work without reporting it to the peer.
func (r *receiver) stopWorker() {
	if r.workerDone {
		return
	}
	r.workerDone = true
	for _, res := range r.worker.stop() {
		switch {
		case res.open:
			for _, p := range res.f.pending {
				r.s.ep.putBuf(p.bp)
			}
			res.f.pending, res.f.opening = nil, false
			if res.err == nil && res.sf != nil {
				res.f.sf = res.sf
			}
		case res.f != nil:
			r.committed(res, false)
		}
	}
	for _, j := range r.jobs {
		if j.f != nil {
			j.sf.Abort(true)
			j.f.state = fileOpen
		}
		if j.open != nil {
			for _, p := range j.open.pending {
				r.s.ep.putBuf(p.bp)
			}
			j.open.pending, j.open.opening = nil, false
		}
	}
	r.jobs = nil
}

func (r *receiver) stop() {
	r.stopWorker()
	for _, f := range r.files {
		if f.state == fileOpen && f.sf != nil {
			f.sf.Abort(true) // keep partial data: resumable
			f.sf = nil
		}
	}
}

// pushJobs hands queued jobs to the disk worker without blocking.
func (r *receiver) pushJobs() {
	for len(r.jobs) > 0 && !r.workerDone {
		select {
		case r.worker.jobs <- r.jobs[0]:
			r.jobs[0] = diskJob{}
			r.jobs = r.jobs[1:]
		default:
			return
		}
	}
}

// onDiskResult handles a finished commit or checkpoint.
func (r *receiver) onDiskResult(res diskResult) {
	if res.open {
		r.opened(res)
		return
	}
	if res.f != nil {
		r.committed(res, true)
		return
	}
	r.ckptBusy = false
	if res.err != nil {
		r.dirty = true
		r.s.cfg.Logf("engine: checkpoint: %v", res.err)
		if CodeOf(res.err) == CodeDiskFull {
			r.s.abort(&Error{Code: CodeDiskFull, Msg: "checkpoint: " + res.err.Error()}, true)
		}
	}
}

// committed records a commit outcome; report sends the result to the peer.
func (r *receiver) committed(res diskResult, report bool) {
	f := res.f
	if f.state != fileCommitting {
		return
	}
	r.dirty = true
	if res.err != nil {
		e := asError(res.err)
		if e.Code == CodeDiskFull && report {
			f.state = fileOpen // data is complete on disk: resumable
			r.s.abort(e, true)
			return
		}
		f.state, f.code, f.msg = fileFailed, string(e.Code), e.Msg
	} else {
		f.state, f.host = fileDone, res.host
	}
	if report {
		r.sendResult(f, f.sum)
	}
}

func (r *receiver) onMsg(m wire.Msg, now time.Duration) error {
	if _, ok := m.(wire.Offer); !ok && !r.offered {
		return errorf(CodeProtocol, "%T before the offer", m)
	}
	switch m := m.(type) {
	case wire.Offer:
		return r.onOffer(m)
	case wire.Files:
		return r.onFiles(m, now)
	case wire.EndOfList:
		if m.Files != uint64(len(r.files)) || m.Blocks != r.extent {
			return errorf(CodeProtocol, "end of list says %d files/%d blocks, got %d/%d", m.Files, m.Blocks, len(r.files), r.extent)
		}
		r.eol = true
	case wire.Digests:
		for _, d := range m.Digests {
			if err := r.onDigest(d); err != nil {
				return err
			}
		}
	case wire.FileDone:
		f, err := r.file(m.File)
		if err != nil {
			return err
		}
		if f.state == fileOpen {
			f.done = &m
			r.tryFinalize(f)
		}
	case wire.FileFailed:
		f, err := r.file(m.File)
		if err != nil {
			return err
		}
		r.fail(f, &Error{Code: Code(m.Code), Msg: "sender: " + m.Msg}, false)
	case wire.Finish:
		if !r.eol || r.results != len(r.files) {
			return errorf(CodeProtocol, "finish before every file has a result")
		}
		if err := r.sink.Discard(r.key); err != nil {
			r.s.cfg.Logf("engine: discarding checkpoint: %v", err)
		}
		r.checkpoints = 0
		r.s.ctl.send(wire.FinishAck{})
		r.s.lingerTill = now + 2*time.Second
	default:
		return errorf(CodeProtocol, "unexpected %T on the receiving side", m)
	}
	return nil
}

func (r *receiver) onOffer(m wire.Offer) error {
	if r.offered {
		return errorf(CodeProtocol, "second offer")
	}
	maxBlock := r.s.payloadRoom() - wire.DataHeaderLen
	if m.BlockSize == 0 || int(m.BlockSize) > maxBlock || m.ChunkBlocks == 0 || m.ChunkBlocks > 1<<20 {
		return errorf(CodeProtocol, "offer with block size %d, chunk %d blocks", m.BlockSize, m.ChunkBlocks)
	}
	r.offered = true
	r.blockSize, r.chunkBlocks = uint64(m.BlockSize), uint64(m.ChunkBlocks)
	r.noWrite = r.noWrite || false
	cp, err := r.sink.Load(r.key)
	if err != nil {
		r.s.cfg.Logf("engine: ignoring checkpoint of %q: %v", r.key, err)
		cp = nil
	}
	var batch []wire.ResumeFile
	if cp != nil && cp.BlockSize == m.BlockSize && cp.ChunkBlocks == m.ChunkBlocks {
		r.cp = make(map[uint64]*CheckpointFile, len(cp.Files))
		for i := range cp.Files {
			cf := &cp.Files[i]
			r.cp[cf.Index] = cf
			batch = append(batch, wire.ResumeFile{Index: cf.Index, Path: cf.Path, Size: cf.Size, Mtime: cf.Mtime,
				Done: cf.Done, Code: cf.Code, Ranges: cf.Ranges, Digests: cf.Sender})
			if len(batch) == 256 {
				r.s.ctl.send(wire.Resume{Files: batch})
				batch = nil
			}
		}
	}
	if len(batch) > 0 {
		r.s.ctl.send(wire.Resume{Files: batch})
	}
	r.s.ctl.send(wire.OfferAck{})
	r.nextCkpt = r.s.now() + r.checkpoints
	return nil
}

func (r *receiver) file(idx uint64) (*rfile, error) {
	if idx >= uint64(len(r.files)) {
		return nil, errorf(CodeProtocol, "message for unknown file %d", idx)
	}
	return r.files[idx], nil
}

const maxFileSize = 1 << 50

func (r *receiver) onFiles(m wire.Files, now time.Duration) error {
	for _, wm := range m.Files {
		if wm.Index != uint64(len(r.files)) || wm.FirstBlock != r.extent || wm.Size > maxFileSize || wm.Path == "" {
			return errorf(CodeProtocol, "file %d (%q) breaks the block layout", wm.Index, wm.Path)
		}
		meta := FileMeta{Index: int(wm.Index), Path: wm.Path, Size: int64(wm.Size), Mode: fs.FileMode(wm.Mode),
			EmptyDir: wm.Flags&wire.FileEmptyDir != 0}
		if wm.Mtime != 0 {
			meta.Mtime = time.Unix(0, wm.Mtime)
		}
		f := &rfile{meta: meta, first: wm.FirstBlock}
		if !meta.EmptyDir {
			f.n = blocksOf(meta.Size, r.blockSize)
		}
		f.chunks = make([]chunkState, (f.n+r.chunkBlocks-1)/r.chunkBlocks)
		r.extent += f.n
		r.files = append(r.files, f)
		r.s.stats.totalBytes.Add(meta.Size)
		r.s.stats.totalBlocks.Add(int64(f.n))
		var cf *CheckpointFile
		if wm.Flags&wire.FileResumed != 0 {
			cf = r.cp[wm.Index]
			if cf == nil || cf.Path != wm.Path || cf.Size != wm.Size || cf.Mtime != wm.Mtime {
				cf = nil
			}
		}
		if err := r.open(f, cf); err != nil {
			return err
		}
	}
	r.dirty = true
	return nil
}

// open lands file f, restoring saved state cf when resuming. The filesystem work
// runs on the disk workers; data arriving meanwhile waits in f.pending.
func (r *receiver) open(f *rfile, cf *CheckpointFile) error {
	if cf != nil && cf.Done {
		f.state, f.host = fileDone, cf.HostPath
		if cf.Code != "" {
			f.state, f.code, f.msg = fileFailed, cf.Code, cf.Msg
		}
		r.got.add(f.first, f.first+f.n, nil)
		f.recv = f.n
		r.sendResult(f, nil)
		return nil
	}
	f.opening = true
	r.jobs = append(r.jobs, diskJob{open: f, meta: f.meta, resume: cf != nil})
	if cf == nil {
		return nil
	}
	for _, rg := range cf.Ranges {
		if rg.End > f.n || rg.Start >= rg.End {
			continue
		}
		n := r.got.add(f.first+rg.Start, f.first+rg.End, nil)
		f.recv += n
		r.s.stats.blocksAcked.Add(int64(n))
		for b := rg.Start; b < rg.End; b++ {
			c := &f.chunks[b/r.chunkBlocks]
			c.got++
			c.broken = true
			r.s.stats.bytesAcked.Add(int64(blockLen(f.meta.Size, r.blockSize, b)))
		}
	}
	for _, d := range cf.Own {
		if d.Chunk < uint64(len(f.chunks)) && f.chunks[d.Chunk].got == r.chunkLen(f, d.Chunk) {
			f.chunks[d.Chunk].own, f.chunks[d.Chunk].ownOK = d.Sum, true
		}
	}
	for _, d := range cf.Sender {
		if d.Chunk < uint64(len(f.chunks)) {
			f.chunks[d.Chunk].snd, f.chunks[d.Chunk].sndOK = d.Sum, true
		}
	}
	return nil
}

// opened completes open once the disk worker has landed the file.
func (r *receiver) opened(res diskResult) {
	f := res.f
	f.opening = false
	pending := f.pending
	f.pending = nil
	defer func() {
		for _, p := range pending {
			r.s.ep.putBuf(p.bp)
		}
		r.pendingBufs -= len(pending)
	}()
	if f.state != fileOpen { // failed meanwhile
		if res.sf != nil {
			res.sf.Abort(f.code == string(CodeExists) || f.code == string(CodeDiskFull))
		}
		return
	}
	if res.err != nil {
		if err := r.openFailed(f, res.err); err != nil {
			r.s.abort(asError(err), true)
		}
		return
	}
	f.sf, f.host = res.sf, res.host
	if f.sf != nil && !r.noWrite {
		for c := range f.chunks {
			if f.chunks[c].got == r.chunkLen(f, uint64(c)) && !f.chunks[c].ownOK {
				r.hashChunk(f, uint64(c))
				if f.state != fileOpen {
					return
				}
			}
		}
	}
	for _, p := range pending {
		if r.s.finished || f.state != fileOpen {
			return
		}
		if !r.got.contains(p.block) {
			r.write(f, p.block, p.data)
		}
	}
	r.tryFinalize(f)
}

func (r *receiver) openFailed(f *rfile, err error) error {
	e := asError(err)
	if e.Code == CodeDiskFull {
		return e // the whole session stops; everything stays resumable
	}
	r.fail(f, e, false)
	return nil
}

func (r *receiver) chunkLen(f *rfile, c uint64) uint32 {
	return uint32(min((c+1)*r.chunkBlocks, f.n) - c*r.chunkBlocks)
}

func (r *receiver) onDigest(d wire.FileDigest) error {
	f, err := r.file(d.File)
	if err != nil {
		return err
	}
	if d.Chunk >= uint64(len(f.chunks)) {
		return errorf(CodeProtocol, "digest for chunk %d of file %d with %d chunks", d.Chunk, d.File, len(f.chunks))
	}
	c := &f.chunks[d.Chunk]
	c.snd, c.sndOK = d.Sum, true
	r.dirty = true
	if c.ownOK && c.own != c.snd && f.state == fileOpen && !r.noWrite {
		r.fail(f, errorf(CodeHashMismatch, "%s: chunk %d differs from the sender's", f.meta.Path, d.Chunk), true)
	}
	return nil
}

func (r *receiver) fileOf(block uint64) *rfile {
	i := sort.Search(len(r.files), func(k int) bool { return r.files[k].first+r.files[k].n > block })
	if i == len(r.files) {
		return nil
	}
	return r.files[i]
}

// onData handles a data packet; it reports whether it kept p.bp.
func (r *receiver) onData(p inPacket, now time.Duration) bool {
	block, sendTS, data, err := wire.ParseData(p.payload)
	if err != nil || !r.offered {
		return false
	}
	if r.newestAt == 0 || int32(sendTS-r.newestSend) > 0 { // echo the newest send time, not a late arrival
		r.newestSend, r.newestAt = sendTS, now
	}
	r.pending++
	if r.pending == 1 {
		r.ackDue = now + r.opts.AckInterval
	}
	kept := false
	if block < r.extent && !r.got.contains(block) {
		kept = r.store(p.bp, block, data)
	}
	if r.pending >= r.opts.AckPackets {
		r.sendAck(now)
	}
	return kept
}

// store writes a received block, or parks it while its file is being opened. It
// reports whether it kept bp.
func (r *receiver) store(bp *[]byte, block uint64, data []byte) bool {
	f := r.fileOf(block)
	if f == nil || f.state != fileOpen {
		return false
	}
	rel := block - f.first
	if len(data) != blockLen(f.meta.Size, r.blockSize, rel) {
		r.s.abort(errorf(CodeProtocol, "block %d of %s has %d bytes", rel, f.meta.Path, len(data)), true)
		return false
	}
	if f.opening {
		if r.pendingBufs >= maxPendingBufs {
			return false // not acked: the sender resends it
		}
		for _, p := range f.pending {
			if p.block == block {
				return false
			}
		}
		f.pending = append(f.pending, pendingWrite{bp: bp, block: block, data: data})
		r.pendingBufs++
		return true
	}
	r.write(f, block, data)
	return false
}

// write stores one block of an open file and updates hashes and counters.
func (r *receiver) write(f *rfile, block uint64, data []byte) {
	rel := block - f.first
	if !r.noWrite {
		if _, err := f.sf.WriteAt(data, int64(rel*r.blockSize)); err != nil {
			e := asError(err)
			if e.Code != CodeDiskFull {
				e = &Error{Code: CodeIO, Msg: "writing " + f.meta.Path + ": " + e.Msg}
			} else {
				e = &Error{Code: CodeDiskFull, Msg: "writing " + f.meta.Path + ": " + e.Msg}
			}
			r.s.abort(e, true)
			return
		}
		f.written = true
	}
	r.got.add(block, block+1, nil)
	f.recv++
	r.dirty = true
	r.rateBytes += int64(len(data))
	r.s.stats.blocksAcked.Add(1)
	r.s.stats.bytesAcked.Add(int64(len(data)))
	if r.s.stats.current.Load() == nil || *r.s.stats.current.Load() != f.meta.Path {
		p := f.meta.Path
		r.s.stats.current.Store(&p)
	}
	if !r.noWrite {
		ci := rel / r.chunkBlocks
		c := &f.chunks[ci]
		c.got++
		if !c.broken && uint64(c.next) == rel-ci*r.chunkBlocks {
			if c.h == nil {
				c.h = sha256.New()
			}
			c.h.Write(data)
			c.next++
		} else {
			c.broken, c.h = true, nil
		}
		if c.got == r.chunkLen(f, ci) {
			r.hashChunk(f, ci)
			if f.state != fileOpen {
				return
			}
		}
	}
	if f.recv == f.n {
		r.tryFinalize(f)
	}
}

// hashChunk computes the receiver's digest of a complete chunk.
func (r *receiver) hashChunk(f *rfile, ci uint64) {
	c := &f.chunks[ci]
	if c.broken || c.h == nil {
		lo := ci * r.chunkBlocks * r.blockSize
		hi := min(uint64(f.meta.Size), (ci+1)*r.chunkBlocks*r.blockSize)
		if cap(r.chunkBuf) < int(hi-lo) {
			r.chunkBuf = make([]byte, hi-lo)
		}
		buf := r.chunkBuf[:hi-lo]
		if _, err := f.sf.ReadAt(buf, int64(lo)); err != nil {
			r.fail(f, &Error{Code: CodeIO, Msg: "reading back " + f.meta.Path + ": " + err.Error()}, true)
			return
		}
		c.own = sha256.Sum256(buf)
	} else {
		c.h.Sum(c.own[:0])
	}
	c.h, c.ownOK = nil, true
	if c.sndOK && c.own != c.snd {
		r.fail(f, errorf(CodeHashMismatch, "%s: chunk %d differs from the sender's", f.meta.Path, ci), true)
	}
}

func (r *receiver) tryFinalize(f *rfile) {
	if f.state != fileOpen || f.opening || f.done == nil || f.recv < f.n {
		return
	}
	var sum [32]byte
	if !r.noWrite && !f.done.Unverified {
		h := sha256.New()
		for i := range f.chunks {
			if !f.chunks[i].ownOK {
				r.hashChunk(f, uint64(i))
				if f.state != fileOpen {
					return
				}
			}
			h.Write(f.chunks[i].own[:])
		}
		h.Sum(sum[:0])
		if sum != f.done.Hash {
			r.fail(f, errorf(CodeHashMismatch, "%s: file hash differs from the sender's", f.meta.Path), true)
			return
		}
	}
	f.sum = append([]byte(nil), sum[:]...)
	if f.sf == nil { // empty directory: nothing to commit
		f.state = fileDone
		r.dirty = true
		r.sendResult(f, f.sum)
		return
	}
	f.state = fileCommitting
	r.jobs = append(r.jobs, diskJob{f: f, sf: f.sf})
	f.sf = nil
	r.pushJobs()
}

// fail ends file f with e; remove deletes its partial data.
func (r *receiver) fail(f *rfile, e *Error, remove bool) {
	if f.state != fileOpen {
		return
	}
	if f.sf != nil {
		keep := !remove && (e.Code == CodeExists || e.Code == CodeDiskFull)
		f.sf.Abort(keep)
		f.sf = nil
	}
	for _, p := range f.pending {
		r.s.ep.putBuf(p.bp)
	}
	r.pendingBufs -= len(f.pending)
	f.pending = nil
	f.state, f.code, f.msg = fileFailed, string(e.Code), e.Msg
	r.got.add(f.first, f.first+f.n, nil)
	r.dirty = true
	r.sendResult(f, nil)
}

func (r *receiver) sendResult(f *rfile, sum []byte) {
	m := wire.FileResult{File: uint64(f.meta.Index), Code: f.code, Msg: f.msg}
	res := FileResult{Index: f.meta.Index, Path: f.meta.Path, HostPath: f.host, Size: f.meta.Size}
	if f.code != "" {
		res.Err, res.HostPath = &Error{Code: Code(f.code), Msg: f.msg}, ""
	} else if len(sum) == 32 {
		copy(m.Hash[:], sum)
		res.Hash = append([]byte(nil), sum...)
	}
	r.results++
	r.s.ctl.send(m)
	r.s.observe(res)
}

func (r *receiver) tick(now time.Duration) {
	if r.pending > 0 {
		if now >= r.ackDue {
			r.sendAck(now)
		} else {
			r.s.wakeAt(r.ackDue)
		}
	}
	r.pushJobs()
	if r.checkpoints > 0 && now >= r.nextCkpt && !r.ckptBusy {
		r.checkpoint(now, false)
	}
}

// sendAck sends an aggregate range report.
func (r *receiver) sendAck(now time.Duration) {
	a := &r.ackBuf
	a.EchoTime = r.newestSend
	a.HoldDelay = uint32((now - r.newestAt) / time.Microsecond)
	a.RecvTime = uint32(r.newestAt / time.Microsecond)
	if el := now - r.rateSince; el >= 20*time.Millisecond {
		r.lastRate = uint64(float64(r.rateBytes) / el.Seconds())
		r.rateBytes, r.rateSince = 0, now
	}
	a.DeliveryRate = r.lastRate
	rs := r.got.r
	a.Cum = r.got.cumFrom(0)
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

// checkpoint snapshots the received state and has it saved after the files it
// describes were synced: by the disk worker normally, inline when final (the
// session is stopping).
func (r *receiver) checkpoint(now time.Duration, final bool) {
	r.nextCkpt = now + r.checkpoints
	if final {
		r.stopWorker()
	}
	if r.checkpoints == 0 || !r.dirty || !r.offered {
		return
	}
	cp := &Checkpoint{TransferKey: r.key, BlockSize: uint32(r.blockSize), ChunkBlocks: uint32(r.chunkBlocks)}
	cp.Files = make([]CheckpointFile, 0, len(r.files))
	var sync []SinkFile
	for _, f := range r.files {
		cf := CheckpointFile{Index: uint64(f.meta.Index), Path: f.meta.Path, Size: uint64(f.meta.Size), Mtime: unixNano(f.meta.Mtime)}
		switch f.state {
		case fileDone, fileFailed:
			cf.Done, cf.Code, cf.Msg, cf.HostPath = true, f.code, f.msg, f.host
		default:
			if f.written && f.sf != nil {
				sync = append(sync, f.sf)
				f.written = false
			}
			cf.Ranges = r.got.within(f.first, f.first+f.n)
			for i := range f.chunks {
				c := &f.chunks[i]
				if c.ownOK {
					cf.Own = append(cf.Own, wire.Digest{Chunk: uint64(i), Sum: c.own})
				}
				if c.sndOK {
					cf.Sender = append(cf.Sender, wire.Digest{Chunk: uint64(i), Sum: c.snd})
				}
			}
		}
		cp.Files = append(cp.Files, cf)
	}
	r.dirty = false
	if !final {
		r.ckptBusy = true
		r.jobs = append(r.jobs, diskJob{cp: cp, sync: sync})
		r.pushJobs()
		return
	}
	for _, sf := range sync {
		if err := sf.Sync(); err != nil {
			r.s.cfg.Logf("engine: final checkpoint: %v", err)
			return // keep the previous checkpoint: it only claims synced data
		}
	}
	if err := r.sink.Save(cp); err != nil {
		r.s.cfg.Logf("engine: final checkpoint: %v", err)
	}
}
