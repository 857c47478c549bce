package engine

import (
	"errors"
	"io/fs"
	"sync"
)

// diskWorker runs the receiver's slow disk work (commits with their fsync and
// rename, checkpoint syncs and saves) off the session goroutine, so acks keep
// flowing while files are finalised ("writes behind").
type diskWorker struct {
	sink    Sink
	key     string
	opens   chan diskJob // open jobs: data waits in memory for them
	jobs    chan diskJob // commits and checkpoints
	results chan diskResult
	wg      sync.WaitGroup
}

type diskJob struct {
	open   *rfile // land and open this file (or make the empty directory)
	meta   FileMeta
	resume bool
	f      *rfile // commit sf when set
	sf     SinkFile
	cp     *Checkpoint // else: sync these files, then save cp
	sync   []SinkFile
}

type diskResult struct {
	f    *rfile
	open bool
	sf   SinkFile
	host string
	err  error
	cp   *Checkpoint
}

// diskWorkers is the number of goroutines committing files in parallel: commits
// are syscall-bound and mostly wait on fsync, so overlapping many pays off (the
// filesystem groups concurrent fsyncs into one journal commit: 4 -> 16 workers
// cut the commit tail of 10,000 small files from about 6 s to 3.5 s). Every
// worker takes open jobs first; openWorkers more take nothing else, so a file
// opens promptly even while every other worker waits on an fsync (blocks of
// opening files are held in memory, see receiver_hold.go).
const (
	diskWorkers = 16
	openWorkers = 1
)

func newDiskWorker(sink Sink, key string) *diskWorker {
	w := &diskWorker{sink: sink, key: key, opens: make(chan diskJob, 1024), jobs: make(chan diskJob, 1024),
		results: make(chan diskResult, 2048)}
	w.wg.Add(diskWorkers + openWorkers)
	for i := 0; i < diskWorkers; i++ {
		go w.loop(w.jobs)
	}
	for i := 0; i < openWorkers; i++ {
		go w.loop(nil)
	}
	return w
}

// loop runs jobs until both queues are closed and drained; open jobs go first.
// A nil jobs makes an open-only worker.
func (w *diskWorker) loop(jobs chan diskJob) {
	defer w.wg.Done()
	opens := w.opens
	for opens != nil || jobs != nil {
		var j diskJob
		var ok bool
		select {
		case j, ok = <-opens:
			if !ok {
				opens = nil
				continue
			}
		default:
			select {
			case j, ok = <-opens:
				if !ok {
					opens = nil
					continue
				}
			case j, ok = <-jobs:
				if !ok {
					jobs = nil
					continue
				}
			}
		}
		switch {
		case j.open != nil:
			w.openBatch(j, opens)
		case j.f != nil:
			w.commitBatch(j, jobs)
		default:
			w.results <- w.run(j)
		}
	}
}

// queued returns first and the jobs already waiting in ch behind it, at most
// limit in all, without blocking. A closed ch is left for loop to notice.
func queued(first diskJob, ch chan diskJob, limit int) []diskJob {
	batch := []diskJob{first}
	for len(batch) < limit {
		select {
		case j, ok := <-ch:
			if !ok {
				return batch
			}
			batch = append(batch, j)
		default:
			return batch
		}
	}
	return batch
}

// commitBatchMax is the most commits one worker runs together (see commitBatch).
const commitBatchMax = 32

// commitBatch commits job first and the commits queued behind it (up to
// commitBatchMax) together: one shared sync and one identity switch for all
// their renames (diskSink.commitAll). Other jobs met on the way (checkpoints)
// run after the batch.
func (w *diskWorker) commitBatch(first diskJob, jobs chan diskJob) {
	ds, ok := w.sink.(*diskSink)
	if !ok {
		w.results <- w.run(first)
		return
	}
	var files []*diskFile
	var mine, later []diskJob
	for _, j := range queued(first, jobs, commitBatchMax) {
		if df, ok := j.sf.(*diskFile); ok && j.f != nil && df.sink == ds {
			files, mine = append(files, df), append(mine, j)
		} else {
			later = append(later, j)
		}
	}
	if len(files) > 0 {
		hosts, errs := ds.commitAll(files)
		for i, j := range mine {
			w.results <- diskResult{f: j.f, host: hosts[i], err: errs[i]}
		}
	}
	for _, j := range later {
		w.results <- w.run(j)
	}
}

// openBatchMax is the most open jobs one worker runs under one identity
// switch (see batchSink).
const openBatchMax = 32

// openBatch runs open job first and those already queued behind it (up to
// openBatchMax) together: a sink that switches to the user's identity per
// file operation then switches once for the lot.
func (w *diskWorker) openBatch(first diskJob, opens chan diskJob) {
	b, ok := w.sink.(batchSink)
	if !ok {
		w.results <- w.run(first)
		return
	}
	batch := queued(first, opens, openBatchMax)
	done := 0
	b.batch(func() {
		for _, j := range batch {
			w.results <- w.run(j)
			done++
		}
	})
	for _, j := range batch[done:] { // the batch could not start: one by one
		w.results <- w.run(j)
	}
}

// run does one job.
func (w *diskWorker) run(j diskJob) diskResult {
	if j.open != nil {
		res := diskResult{f: j.open, open: true}
		if j.meta.EmptyDir {
			res.host, res.err = w.sink.MakeDir(j.meta)
		} else {
			res.sf, res.err = w.sink.Open(w.key, j.meta, j.resume)
		}
		return res
	}
	if j.f != nil {
		host, err := j.sf.Commit()
		return diskResult{f: j.f, host: host, err: err}
	}
	var err error
	for _, sf := range j.sync {
		if serr := sf.Sync(); serr != nil && !errors.Is(serr, fs.ErrClosed) {
			err = serr
			break
		}
	}
	if err == nil {
		err = w.sink.Save(j.cp)
	}
	return diskResult{cp: j.cp, err: err}
}

// stop waits for queued jobs to finish and returns their results.
func (w *diskWorker) stop() []diskResult {
	close(w.opens)
	close(w.jobs)
	var out []diskResult
	done := make(chan struct{})
	go func() { w.wg.Wait(); close(done) }()
	for {
		select {
		case r := <-w.results:
			out = append(out, r)
		case <-done:
			for {
				select {
				case r := <-w.results:
					out = append(out, r)
				default:
					return out
				}
			}
		}
	}
}
