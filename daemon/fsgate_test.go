package daemon

import (
	"context"
	"errors"
	"runtime"
	"testing"

	"github.com/jetstream-go/jetstream/daemon/api"
)

// TestFSGate: two slots, one queue place. Two holders run, a third caller
// queues, a fourth API caller is told busy (a transfer caller queues
// anyway), a cancelled waiter gives up, and releasing a slot runs the
// queued one.
func TestFSGate(t *testing.T) {
	g := newFSGate(2, 1)
	release := make(chan struct{})
	running := make(chan int, 8)
	hold := func(id int) func() error {
		return func() error { running <- id; <-release; return nil }
	}
	results := make(chan error, 8)
	for id := 1; id <= 2; id++ {
		go func() { results <- g.do(context.Background(), true, hold(id)) }()
		<-running
	}
	waitQueued := func(n int) {
		t.Helper()
		for {
			g.mu.Lock()
			w := g.waiting
			g.mu.Unlock()
			if w == n {
				return
			}
			select {
			case id := <-running:
				t.Fatalf("caller %d ran while both slots were held", id)
			default:
			}
			runtime.Gosched()
		}
	}
	go func() { results <- g.do(context.Background(), true, hold(3)) }()
	waitQueued(1)

	err := g.do(context.Background(), true, func() error { t.Error("busy caller ran"); return nil })
	if api.CodeOf(err) != api.CodeBusy {
		t.Fatalf("caller beyond the queue: %v, want busy", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { results <- g.do(ctx, false, hold(4)) }() // transfer work queues beyond the limit
	waitQueued(2)
	cancel()
	if err := <-results; api.CodeOf(err) != api.CodeCancelled {
		t.Fatalf("cancelled waiter: %v", err)
	}
	waitQueued(1)

	release <- struct{}{} // one holder ends: the queued caller 3 runs
	if err := <-results; err != nil {
		t.Fatal(err)
	}
	if id := <-running; id != 3 {
		t.Fatalf("caller %d ran, want 3", id)
	}
	close(release)
	for range 2 {
		if err := <-results; err != nil {
			t.Fatal(err)
		}
	}
	want := errors.New("boom")
	if err := g.do(context.Background(), true, func() error { return want }); err != want {
		t.Fatalf("fn's error: %v", err)
	}
	if len(g.slots) != 0 || g.waiting != 0 {
		t.Fatalf("gate not empty: %d slots held, %d waiting", len(g.slots), g.waiting)
	}
}
