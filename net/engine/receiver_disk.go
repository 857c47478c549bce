package engine

import (
	"time"

	"github.com/jetstream-go/jetstream/net/wire"
)

// diskResults is the disk worker's result channel (nil once it stopped).
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
			r.releaseFile(res.f)
			res.f.opening = false
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
	}
	for _, j := range r.opens {
		r.releaseFile(j.open)
		j.open.opening = false
	}
	r.jobs, r.opens = nil, nil
}

// pushJobs hands queued jobs to the disk worker without blocking, opens first.
func (r *receiver) pushJobs() {
	if r.workerDone {
		return
	}
	r.opens = pushQueue(r.worker.opens, r.opens)
	r.jobs = pushQueue(r.worker.jobs, r.jobs)
}

// pushQueue sends the head of q to ch while ch has room and returns the rest.
func pushQueue(ch chan<- diskJob, q []diskJob) []diskJob {
	for len(q) > 0 {
		select {
		case ch <- q[0]:
			q[0] = diskJob{}
			q = q[1:]
		default:
			return q
		}
	}
	return nil
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

// opened completes open once the disk worker has landed the file.
func (r *receiver) opened(res diskResult) {
	f := res.f
	f.opening = false
	pending := f.pending
	f.pending = nil
	defer func() {
		for _, p := range pending {
			r.release(p)
		}
		r.held.remove(f.first, f.first+f.n)
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
		for ci, c := range f.chunks {
			if c.got == r.chunkLen(f, ci) && !c.ownOK {
				r.hashChunk(f, ci)
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

// checkpoint snapshots the received state and has it saved after the files it
// describes were synced: by the disk worker normally, inline when final (the
// session is stopping).
func (r *receiver) checkpoint(now time.Duration, final bool) {
	r.nextCkpt = now + r.checkpoints
	if !r.flushWrites() {
		return
	}
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
			for i, c := range f.chunks {
				if c.ownOK {
					cf.Own = append(cf.Own, wire.Digest{Chunk: i, Sum: c.own})
				}
				if c.sndOK {
					cf.Sender = append(cf.Sender, wire.Digest{Chunk: i, Sum: c.snd})
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
