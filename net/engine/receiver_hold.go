package engine

// Blocks the receiver holds in memory: blocks ahead of the file list (r.early)
// and blocks of files the disk workers are still opening (f.pending).
//
// Held blocks are acknowledged like written ones (see ackSet): they are bound to
// be written once their file is open, or their whole file fails (and is then
// reported complete anyway). Without that, every block held while a file opens
// shows as a hole below later blocks, and the sender declares it lost after its
// reordering tolerance: a spurious retransmission and a spurious loss sample that
// cuts the pacing rate. Checkpoints describe r.got only, so a session that stops
// with held blocks resumes by resending them.

const (
	// maxPendingBufs bounds the number of held blocks.
	maxPendingBufs = 16384
	// maxPendingBytes bounds the buffer memory of held blocks.
	maxPendingBytes = 32 << 20
	// compactHeld: a block smaller than this share of its datagram buffer is
	// copied into a right-sized buffer before it is held, so a window of
	// 1.4 KB blocks does not pin 64 KiB receive buffers.
	compactHeld = 4
)

// hold prepares block for holding. It reports whether there is room, and
// whether it kept bp itself (else the caller still owns bp).
func (r *receiver) hold(bp *[]byte, block uint64, data []byte) (p pendingWrite, keptBP, ok bool) {
	if r.pendingBufs >= maxPendingBufs || r.pendingBytes >= maxPendingBytes {
		return pendingWrite{}, false, false // not acked: the sender resends it
	}
	p = pendingWrite{bp: bp, block: block, data: data}
	keptBP = true
	if len(data)*compactHeld < cap(*bp) {
		nb := r.s.ep.getBufN(len(data))
		if cap(*nb) < cap(*bp) {
			n := copy(*nb, data)
			p = pendingWrite{bp: nb, block: block, data: (*nb)[:n]}
			keptBP = false
		} else {
			r.s.ep.putBuf(nb)
		}
	}
	r.pendingBufs++
	r.pendingBytes += cap(*p.bp)
	r.held.add(block, block+1, nil)
	return p, keptBP, true
}

// release returns the buffer of a held block; the caller updates r.held.
func (r *receiver) release(p pendingWrite) {
	r.pendingBufs--
	r.pendingBytes -= cap(*p.bp)
	r.s.ep.putBuf(p.bp)
}

// releaseFile drops the held blocks of file f.
func (r *receiver) releaseFile(f *rfile) {
	for _, p := range f.pending {
		r.release(p)
	}
	f.pending = nil
	r.held.remove(f.first, f.first+f.n)
}

// ackSet returns the blocks to acknowledge: received and held ones.
func (r *receiver) ackSet() *rangeSet {
	if len(r.held.r) == 0 {
		return &r.got
	}
	r.ackScratch.r = append(r.ackScratch.r[:0], r.got.r...)
	for _, h := range r.held.r {
		r.ackScratch.add(h.Start, h.End, nil)
	}
	return &r.ackScratch
}
