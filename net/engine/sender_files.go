package engine

import (
	"crypto/sha256"
	"errors"
	"io"

	"github.com/jetstream-go/jetstream/net/wire"
)

func (sn *sender) file(idx uint64) (*sfile, error) {
	if idx >= uint64(len(sn.files)) {
		return nil, errorf(CodeProtocol, "result for unknown file %d", idx)
	}
	return sn.files[idx], nil
}

// checkReread runs once all of f is acked: if retransmissions read f again
// after the reader's own check, the file is checked once more, so a change
// that made the receiver refuse it is reported as what it is.
func (sn *sender) checkReread(f *sfile) {
	if !f.reread || f.reader == nil || f.changed != nil {
		return
	}
	if err := f.reader.Check(); err != nil {
		f.changed = asSourceErr(err)
	}
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
		if sn.checkReread(f); f.changed != nil && Code(m.Code) == CodeHashMismatch {
			r.Err = f.changed // the source changed under a retransmission
		}
		sn.failFile(f, nil)
	} else {
		r.Hash = append([]byte(nil), m.Hash[:]...)
		// The sink holds every block of a file it committed, whatever acks
		// are still on their way (Complete may follow before them).
		sn.acked.add(f.first, f.first+f.nblocks, func(x, y uint64) { sn.markAcked(x, y) })
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

// list streams file metadata ahead of the data.
func (sn *sender) list() {
	for !sn.listDone && len(sn.ra.files) < listAheadFile && sn.s.ctl.waitSnd() < kcpWindow {
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
		cb := fileChunkBlocks(sn.chunkBlocks, f.nblocks)
		nchunks := (f.nblocks + cb - 1) / cb
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

// maybeDone sends FileDone as soon as f was read completely (the reader found
// it unchanged and its digests are out), without waiting for the acks: the
// receiver holds it until the last block arrives, which takes a round trip off
// the end of every file. Blocks resent later are read again; if the file
// changed by then, the receiver's digest check fails it (nothing mixed lands)
// and onResult reports that as source_changed (see checkReread).
func (sn *sender) maybeDone(f *sfile) {
	if f.acked >= f.nblocks {
		sn.checkReread(f)
	}
	if f.doneSent || f.failed || !f.readDone {
		return
	}
	sn.flushDigests() // digests precede FileDone on the ordered stream
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
