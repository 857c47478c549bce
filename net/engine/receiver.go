package engine

import (
	"crypto/sha256"
	"hash"
	"io/fs"
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

	completeSent bool          // every file has its result; Complete is out
	confirmed    bool          // the sender has every result: saved state discarded
	completeBy   time.Duration // give up waiting for the sender's confirmation

	// ack state
	pending     int
	ackDue      time.Duration
	newestSend  uint32
	newestAt    time.Duration
	delivery    deliveryMeter
	lag         lagFilter
	ackBuf      wire.Ack
	checkpoints time.Duration
	nextCkpt    time.Duration
	dirty       bool
	chunkBuf    []byte

	worker     *diskWorker
	workerDone bool
	wbuf       []byte // coalesced small in-order writes of wfile at woff
	wfile      *rfile
	woff       int64
	broken     bool // a write failed: no final checkpoint

	jobs         []diskJob // waiting for room in the worker's queue
	opens        []diskJob // open jobs waiting for room in the worker's open queue
	ckptBusy     bool
	pendingBufs  int                     // held buffers: f.pending of opening files and early
	pendingBytes int                     // their capacity
	early        map[uint64]pendingWrite // blocks ahead of the file list (see park)
	held         rangeSet                // blocks of early and every f.pending (see receiver_hold.go)
	ackScratch   rangeSet                // got plus held, for acks
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
	cb      uint64 // blocks per chunk of this file
	nchunks uint64
	chunks  map[uint64]*chunkState // touched chunks only: memory follows received data
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

// chunk returns the state of chunk ci, creating it.
func (f *rfile) chunk(ci uint64) *chunkState {
	c := f.chunks[ci]
	if c == nil {
		if f.chunks == nil {
			f.chunks = make(map[uint64]*chunkState)
		}
		c = new(chunkState)
		f.chunks[ci] = c
	}
	return c
}

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

func (r *receiver) stop() {
	r.flushWrites()
	r.stopWorker()
	for b, p := range r.early {
		r.release(p)
		delete(r.early, b)
	}
	r.held = rangeSet{}
	for _, f := range r.files {
		if f.state == fileOpen && f.sf != nil {
			f.sf.Abort(true) // keep partial data: resumable
			f.sf = nil
		}
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
		r.maybeComplete(now)
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
		if !r.completeSent {
			return errorf(CodeProtocol, "finish before every file has a result")
		}
		r.confirmEnd() // stay until Complete is delivered: the sender waits for it
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
	cp, err := r.s.saved, r.s.savedErr // loaded when the session began (see wire.HelloFresh)
	if err != nil {
		r.s.cfg.Logf("engine: ignoring checkpoint of %q: %v", r.key, err)
		cp = nil
	}
	if v, ok := r.sink.(CheckpointVerifier); ok && cp != nil {
		cp.Files = v.VerifyCheckpoint(cp)
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
	from := r.extent
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
		f.cb = fileChunkBlocks(r.chunkBlocks, f.n)
		f.nchunks = (f.n + f.cb - 1) / f.cb
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
	r.held.remove(from, r.extent) // new files hold nothing yet: replayEarly holds their blocks again
	r.replayEarly()
	r.pushJobs()
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
	r.opens = append(r.opens, diskJob{open: f, meta: f.meta, resume: cf != nil})
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
			c := f.chunk(b / f.cb)
			c.got++
			c.broken = true
			r.s.stats.bytesAcked.Add(int64(blockLen(f.meta.Size, r.blockSize, b)))
		}
	}
	for _, d := range cf.Own {
		if c := f.chunks[d.Chunk]; c != nil && c.got == r.chunkLen(f, d.Chunk) {
			c.own, c.ownOK = d.Sum, true
		}
	}
	for _, d := range cf.Sender {
		if d.Chunk < f.nchunks {
			c := f.chunk(d.Chunk)
			c.snd, c.sndOK = d.Sum, true
		}
	}
	return nil
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
	return uint32(min((c+1)*f.cb, f.n) - c*f.cb)
}

func (r *receiver) onDigest(d wire.FileDigest) error {
	f, err := r.file(d.File)
	if err != nil {
		return err
	}
	if d.Chunk >= f.nchunks {
		return errorf(CodeProtocol, "digest for chunk %d of file %d with %d chunks", d.Chunk, d.File, f.nchunks)
	}
	c := f.chunk(d.Chunk)
	c.snd, c.sndOK = d.Sum, true
	r.dirty = true
	if c.ownOK && c.own != c.snd && f.state == fileOpen && !r.noWrite {
		r.fail(f, errorf(CodeHashMismatch, "%s: chunk %d differs from the sender's", f.meta.Path, d.Chunk), true)
	}
	return nil
}

func (r *receiver) tryFinalize(f *rfile) {
	if f.state != fileOpen || f.opening || f.done == nil || f.recv < f.n {
		return
	}
	var sum [32]byte
	if !r.noWrite && !f.done.Unverified {
		h := sha256.New()
		for i := uint64(0); i < f.nchunks; i++ {
			if c := f.chunk(i); !c.ownOK {
				r.hashChunk(f, i)
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
	if r.wfile == f && !r.flushWrites() {
		return
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
	r.releaseFile(f)
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
	r.maybeComplete(r.s.now())
}

// completeLinger bounds how long the receiver keeps a finished session open
// for the sender to confirm Complete (by Finish or by acking it).
const completeLinger = 3 * time.Second

// maybeComplete sends Complete once the list is over and every file has its
// result. The session then stays until the sender confirms it (see tick).
func (r *receiver) maybeComplete(now time.Duration) {
	if r.completeSent || !r.eol || r.results != len(r.files) {
		return
	}
	r.completeSent = true
	r.s.ctl.send(wire.Complete{})
	r.completeBy = now + completeLinger
}

// confirmEnd records that the sender has every result (it said Finish, or
// acked Complete): the saved state is no longer needed.
func (r *receiver) confirmEnd() {
	if r.confirmed {
		return
	}
	r.confirmed = true
	r.checkpoints = 0
	if err := r.sink.Discard(r.key); err != nil {
		r.s.cfg.Logf("engine: discarding checkpoint: %v", err)
	}
}

// lingerComplete runs once Complete is out: the session ends when the sender's
// KCP acked it, or at completeBy. Without the sender's confirmation the saved
// state stays, so a resume learns the results instead of sending it all again.
func (r *receiver) lingerComplete(now time.Duration) {
	switch {
	case r.s.ctl.waitSnd() == 0:
		r.confirmEnd()
	case now >= r.completeBy:
		if !r.confirmed {
			r.s.cfg.Logf("engine: conv %d: the sender never confirmed the end; checkpoint kept", r.s.conv)
			r.checkpoint(now, true)
			r.checkpoints = 0
		}
	default:
		r.s.wakeAt(r.completeBy)
		return
	}
	r.s.complete()
}

func (r *receiver) tick(now time.Duration) {
	if !r.flushWrites() {
		return
	}
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
	if r.completeSent {
		r.lingerComplete(now)
	}
}
