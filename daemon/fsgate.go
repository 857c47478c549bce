package daemon

import (
	"context"
	"runtime"
	"sync"

	"github.com/jetstream-go/jetstream/daemon/api"
)

// File operations as a user (fsops.AsUser) each hold a locked OS thread
// while they run. fsGate bounds how many run at once per server; callers
// beyond that queue, and API callers beyond the queue limit are told the
// server is busy instead of piling up threads.
type fsGate struct {
	slots   chan struct{}
	mu      sync.Mutex
	waiting int
	maxWait int
}

// defaultFSSlots is the bound on concurrent AsUser operations: enough to
// keep disks busy, far below the runtime's 10,000-thread limit.
func defaultFSSlots() int { return max(16, 4*runtime.GOMAXPROCS(0)) }

// defaultFSQueue is how many API file operations may wait for a slot.
const defaultFSQueue = 256

func newFSGate(slots, maxWait int) *fsGate {
	return &fsGate{slots: make(chan struct{}, max(1, slots)), maxWait: maxWait}
}

// do runs fn once a slot is free. With limit set (API requests) it fails at
// once with CodeBusy when maxWait callers already wait; without it (file
// work of a running transfer) it always queues. A caller stops waiting
// when ctx ends.
func (g *fsGate) do(ctx context.Context, limit bool, fn func() error) error {
	select {
	case g.slots <- struct{}{}:
	default:
		g.mu.Lock()
		if limit && g.waiting >= g.maxWait {
			n := g.waiting
			g.mu.Unlock()
			return api.Errorf(api.CodeBusy, "the server is busy: %d file operations are running and %d waiting; try again later", cap(g.slots), n)
		}
		g.waiting++
		g.mu.Unlock()
		var err error
		select {
		case g.slots <- struct{}{}:
		case <-ctx.Done():
			err = api.Errorf(api.CodeCancelled, "file operation cancelled while waiting for a free slot: %v", context.Cause(ctx))
		}
		g.mu.Lock()
		g.waiting--
		g.mu.Unlock()
		if err != nil {
			return err
		}
	}
	defer func() { <-g.slots }()
	return fn()
}

// fsOp runs an API file operation through the server's gate.
func (s *Server) fsOp(ctx context.Context, fn func() error) error {
	return s.fsGate.do(ctx, true, fn)
}
