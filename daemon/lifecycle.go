package daemon

import (
	"context"
	"time"
)

// workerGrace is how long Shutdown still waits for cancelled transfer jobs
// and receive watchers to record their outcome once its context has ended.
const workerGrace = 2 * time.Second

// goWorker runs fn (a transfer job or a receive watcher) on its own
// goroutine; Shutdown waits for it so that its final events and triggers
// are recorded before the event log and the trigger runner close.
func (s *Server) goWorker(fn func()) {
	s.workMu.Lock()
	defer s.workMu.Unlock()
	if s.workStop { // Shutdown is already waiting: too late to be waited for
		s.log.Warn("work started while the server stops; its outcome may not be recorded")
		go fn()
		return
	}
	s.workers.Add(1)
	go func() {
		defer s.workers.Done()
		fn()
	}()
}

// waitWorkers waits for the goWorker goroutines until ctx ends, then at
// most workerGrace longer (they have been cancelled and are only recording
// their outcome).
func (s *Server) waitWorkers(ctx context.Context) {
	s.workMu.Lock()
	s.workStop = true
	s.workMu.Unlock()
	done := make(chan struct{})
	go func() { s.workers.Wait(); close(done) }()
	select {
	case <-done:
		return
	case <-ctx.Done():
	}
	t := time.NewTimer(workerGrace)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		s.log.Warn("shutdown: transfer work still running after the grace period; its final events may be lost")
	}
}
