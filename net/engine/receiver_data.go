package engine

import (
	"crypto/sha256"
	"sort"
	"time"

	"github.com/jetstream-go/jetstream/net/wire"
)

func (r *receiver) fileOf(block uint64) *rfile {
	i := sort.Search(len(r.files), func(k int) bool { return r.files[k].first+r.files[k].n > block })
	if i == len(r.files) {
		return nil
	}
	return r.files[i]
}

// onData handles a data packet that arrived at at; it reports whether it
// kept p.bp.
func (r *receiver) onData(p inPacket, now, at time.Duration) bool {
	block, sendTS, data, err := wire.ParseData(p.payload)
	if err != nil {
		return false
	}
	// Before the offer r.extent is 0: a fresh sink's sender starts sending
	// without waiting for the OfferAck, and blocks that overtake the offer
	// are parked like those that overtake their file's entry.
	if r.newestAt == 0 || int32(sendTS-r.newestSend) > 0 { // echo the newest send time, not a late arrival
		r.newestSend, r.newestAt = sendTS, at
	}
	r.delivery.arrived(at, len(p.payload))
	r.lag.add(at, now-at)
	r.pending++
	if r.pending == 1 {
		r.ackDue = now + r.opts.AckInterval
	}
	kept := false
	switch {
	case block >= r.extent:
		kept = r.park(p.bp, block, data)
	case !r.got.contains(block):
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
		for _, p := range f.pending {
			if p.block == block {
				return false
			}
		}
		p, kept, ok := r.hold(bp, block, data)
		if ok {
			f.pending = append(f.pending, p)
		}
		return kept
	}
	r.write(f, block, data)
	return false
}

// park keeps a block that arrived before its file's entry in the file list:
// the list travels on the reliable control stream, which can trail the paced
// data by a few packets, and with many small files most blocks would
// otherwise be dropped and resent. onFiles replays parked blocks. Parking
// shares the bounds of hold with blocks of files being opened.
func (r *receiver) park(bp *[]byte, block uint64, data []byte) bool {
	if _, dup := r.early[block]; dup {
		return false
	}
	p, kept, ok := r.hold(bp, block, data)
	if !ok {
		return false
	}
	if r.early == nil {
		r.early = make(map[uint64]pendingWrite)
	}
	r.early[block] = p
	return kept
}

// replayEarly stores the parked blocks the file list now covers.
func (r *receiver) replayEarly() {
	for b, p := range r.early {
		if b >= r.extent {
			continue
		}
		delete(r.early, b)
		r.pendingBufs--
		r.pendingBytes -= cap(*p.bp)
		if r.got.contains(b) || !r.store(p.bp, b, p.data) {
			r.s.ep.putBuf(p.bp)
		}
	}
}

// write stores one block of an open file and updates hashes and counters.
func (r *receiver) write(f *rfile, block uint64, data []byte) {
	rel := block - f.first
	if !r.noWrite {
		off := int64(rel * r.blockSize)
		if len(data) < smallBlock {
			// Coalesce runs of small in-order blocks into one pwrite.
			if r.wfile != f || r.woff+int64(len(r.wbuf)) != off || len(r.wbuf)+len(data) > coalesceBytes {
				if !r.flushWrites() {
					return
				}
				r.wfile, r.woff = f, off
			}
			r.wbuf = append(r.wbuf, data...)
		} else if _, err := f.sf.WriteAt(data, off); err != nil {
			r.writeFailed(f, err)
			return
		}
		f.written = true
	}
	r.got.add(block, block+1, nil)
	f.recv++
	r.dirty = true
	r.delivery.add(int64(len(data) + wire.HeaderLen + wire.DataHeaderLen + r.s.tx.overhead() + ipUDPOverhead)) // the datagram on the wire
	r.s.stats.blocksAcked.Add(1)
	r.s.stats.bytesAcked.Add(int64(len(data)))
	if r.s.stats.current.Load() == nil || *r.s.stats.current.Load() != f.meta.Path {
		p := f.meta.Path
		r.s.stats.current.Store(&p)
	}
	if !r.noWrite {
		ci := rel / f.cb
		c := f.chunk(ci)
		c.got++
		if !c.broken && uint64(c.next) == rel-ci*f.cb {
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

// flushWrites writes the coalesced run; false means the session is aborting.
func (r *receiver) flushWrites() bool {
	if len(r.wbuf) == 0 {
		return true
	}
	f, buf := r.wfile, r.wbuf
	r.wbuf, r.wfile = r.wbuf[:0], nil
	if f.sf == nil { // the file failed or was handed over meanwhile
		return true
	}
	if _, err := f.sf.WriteAt(buf, r.woff); err != nil {
		// Those blocks are not on disk: forget them so the final checkpoint is true.
		first := f.first + uint64(r.woff)/r.blockSize
		r.got.remove(first, first+(uint64(len(buf))+r.blockSize-1)/r.blockSize)
		r.writeFailed(f, err)
		return false
	}
	return true
}

// writeFailed aborts the session after a failed write.
func (r *receiver) writeFailed(f *rfile, err error) {
	e := asError(err)
	code := CodeIO
	if e.Code == CodeDiskFull {
		code = CodeDiskFull
	}
	r.s.abort(&Error{Code: code, Msg: "writing " + f.meta.Path + ": " + e.Msg}, true)
}

// hashChunk computes the receiver's digest of a complete chunk, reading it back
// (in pieces) when it did not arrive in order.
func (r *receiver) hashChunk(f *rfile, ci uint64) {
	c := f.chunk(ci)
	if c.broken || c.h == nil {
		if r.wfile == f && !r.flushWrites() {
			return
		}
		lo := ci * f.cb * r.blockSize
		hi := min(uint64(f.meta.Size), (ci+1)*f.cb*r.blockSize)
		if r.chunkBuf == nil {
			r.chunkBuf = make([]byte, chunkBytes)
		}
		h := sha256.New()
		for off := lo; off < hi; {
			buf := r.chunkBuf[:min(uint64(len(r.chunkBuf)), hi-off)]
			if _, err := f.sf.ReadAt(buf, int64(off)); err != nil {
				r.fail(f, &Error{Code: CodeIO, Msg: "reading back " + f.meta.Path + ": " + err.Error()}, true)
				return
			}
			h.Write(buf)
			off += uint64(len(buf))
		}
		h.Sum(c.own[:0])
	} else {
		c.h.Sum(c.own[:0])
	}
	c.h, c.ownOK = nil, true
	if c.sndOK && c.own != c.snd {
		r.fail(f, errorf(CodeHashMismatch, "%s: chunk %d differs from the sender's", f.meta.Path, ci), true)
	}
}
