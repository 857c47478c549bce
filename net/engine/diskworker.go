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
	jobs    chan diskJob
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
// are syscall-bound (fsync, chmod, utimes, rename), so overlapping them pays off.
const diskWorkers = 4

func newDiskWorker(sink Sink, key string) *diskWorker {
	w := &diskWorker{sink: sink, key: key, jobs: make(chan diskJob, 1024), results: make(chan diskResult, 1024)}
	w.wg.Add(diskWorkers)
	for i := 0; i < diskWorkers; i++ {
		go w.loop()
	}
	return w
}

func (w *diskWorker) loop() {
	defer w.wg.Done()
	for j := range w.jobs {
		if j.open != nil {
			res := diskResult{f: j.open, open: true}
			if j.meta.EmptyDir {
				res.host, res.err = w.sink.MakeDir(j.meta)
			} else {
				res.sf, res.err = w.sink.Open(w.key, j.meta, j.resume)
			}
			w.results <- res
			continue
		}
		if j.f != nil {
			host, err := j.sf.Commit()
			w.results <- diskResult{f: j.f, host: host, err: err}
			continue
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
		w.results <- diskResult{cp: j.cp, err: err}
	}
}

// stop waits for queued jobs to finish and returns their results.
func (w *diskWorker) stop() []diskResult {
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
