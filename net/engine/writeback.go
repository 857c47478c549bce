package engine

import (
	"sync"
	"sync/atomic"
)

// writeBehind starts the kernel's write-back of a partfile every
// writeBehindBytes written, on its own goroutine, so dirty pages go to disk
// while the transfer runs instead of all in the commit's fsync: at 500
// Mbit/s the 5 s between checkpoint syncs leave ~300 MB dirty, and that
// final flush is time every transfer adds after its last byte arrives.
// Only one start is in flight per file; the commit waits for it.
type writeBehind struct {
	start   func() // begins write-back of the file's dirty pages; nil: off
	written int64  // bytes since the last start
	busy    atomic.Bool
	wg      sync.WaitGroup
}

// writeBehindBytes is how much a file takes between write-back starts.
const writeBehindBytes = 16 << 20

// wrote records a write of n bytes and starts write-back when enough has
// built up. Writes come from one goroutine (the session's).
func (w *writeBehind) wrote(n int) {
	if w == nil || w.start == nil || n <= 0 {
		return
	}
	if w.written += int64(n); w.written < writeBehindBytes || !w.busy.CompareAndSwap(false, true) {
		return
	}
	w.written = 0
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		defer w.busy.Store(false)
		w.start()
	}()
}

// wait returns once no write-back start is running (before the file closes).
func (w *writeBehind) wait() {
	if w != nil {
		w.wg.Wait()
	}
}
