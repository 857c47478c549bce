package store

import (
	"fmt"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// maxGroup bounds the number of events committed in one transaction.
const maxGroup = 1024

// appendReq is one AppendEvent call waiting for its commit.
type appendReq struct {
	ev   Event
	raw  []byte
	err  error
	done chan struct{} // closed once ev/err are final
	lead chan struct{} // receives when this caller must commit the next group
}

// appender implements group commit without a background goroutine: the
// caller that finds no commit running commits everything queued so far in
// one transaction; callers arriving meanwhile queue up, and the first of them
// is handed the next commit. A lone caller therefore pays exactly one
// transaction and never waits for a timer (unlike bolt.DB.Batch).
type appender struct {
	mu      sync.Mutex
	pending []*appendReq
	busy    bool
}

func (a *appender) append(s *Store, r *appendReq) (Event, error) {
	r.done = make(chan struct{})
	r.lead = make(chan struct{}, 1)
	a.mu.Lock()
	a.pending = append(a.pending, r)
	if a.busy {
		a.mu.Unlock()
		select {
		case <-r.done:
			return r.ev, r.err
		case <-r.lead:
		}
		a.mu.Lock()
	}
	a.busy = true
	// r is pending[0] here: either it was queued on an idle appender, or the
	// previous leader handed it the lead while it was first in line.
	n := min(len(a.pending), maxGroup)
	group := a.pending[:n:n]
	a.pending = a.pending[n:]
	a.mu.Unlock()

	s.commitEvents(group)

	a.mu.Lock()
	if len(a.pending) > 0 {
		a.pending[0].lead <- struct{}{}
	} else {
		a.busy = false
		a.pending = nil
	}
	a.mu.Unlock()
	return r.ev, r.err
}

// commitEvents writes a group in one transaction and releases its callers.
func (s *Store) commitEvents(group []*appendReq) {
	err := wrapErr(s.db.Update(func(tx *bolt.Tx) error {
		events := tx.Bucket([]byte(eventsBucket))
		idx := tx.Bucket([]byte(eventTimesBucket))
		for _, r := range group {
			seq, err := events.NextSequence()
			if err != nil {
				return err
			}
			r.ev.Seq = seq
			if err := events.Put(seqKey(seq), r.raw); err != nil {
				return err
			}
			if err := idx.Put(timeKey(r.ev.Timestamp, seq), nil); err != nil {
				return err
			}
		}
		return nil
	}))
	if err != nil && err != ErrClosed {
		err = fmt.Errorf("store: append event: %w", err)
	}
	for _, r := range group {
		if err != nil {
			r.ev = Event{}
			r.err = err
		}
		close(r.done)
	}
}
