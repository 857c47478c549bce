package tuitest

import (
	"context"
	"errors"

	"github.com/jetstream-go/jetstream/daemon/api"
)

// ErrStreamClosed ends a closed Stream.
var ErrStreamClosed = errors.New("fake stream closed")

// Stream is an event stream fed by Push.
type Stream struct {
	ch   chan api.Event
	done chan struct{}
	err  error
}

// NewStream returns an open stream with room for 64 pending events.
func NewStream() *Stream {
	return &Stream{ch: make(chan api.Event, 64), done: make(chan struct{})}
}

// Push queues an event; it blocks when 64 are pending.
func (s *Stream) Push(ev api.Event) { s.ch <- ev }

// Next implements common.EventStream.
func (s *Stream) Next(ctx context.Context) (api.Event, error) {
	select {
	case ev := <-s.ch:
		return ev, nil
	case <-s.done:
		return api.Event{}, s.err
	case <-ctx.Done():
		return api.Event{}, ctx.Err()
	}
}

// End makes Next return err (ErrStreamClosed when nil). Events pushed
// before may or may not be delivered first.
func (s *Stream) End(err error) {
	if err == nil {
		err = ErrStreamClosed
	}
	select {
	case <-s.done:
	default:
		s.err = err
		close(s.done)
	}
}

// Close implements common.EventStream.
func (s *Stream) Close() error {
	s.End(nil)
	return nil
}
