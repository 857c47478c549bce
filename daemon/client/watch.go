package client

import (
	"context"
	"sync"

	"github.com/jetstream-go/jetstream/daemon/api"
)

// Watcher streams events of one watch request. A slow reader never blocks
// the connection: at most watchBuffer events are queued, and gaps show as
// jumps in Event.Seq.
type Watcher struct {
	c       *Client
	id      int64
	mu      sync.Mutex
	queue   []api.Event
	notify  chan struct{}
	err     error
	Dropped int
}

const watchBuffer = 4096

// Watch subscribes to events (see api.WatchParams).
func (c *Client) Watch(ctx context.Context, p api.WatchParams) (*Watcher, error) {
	w := &Watcher{c: c, notify: make(chan struct{}, 1)}
	// Register before sending so no event can be missed.
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return nil, c.err
	}
	c.nextID++
	w.id = c.nextID
	c.watchers[w.id] = w
	ch := make(chan *api.Response, 1)
	c.pending[w.id] = ch
	c.mu.Unlock()
	c.writeMu.Lock()
	err := c.enc.Encode(struct {
		ID         int64           `json:"id"`
		Request    string          `json:"request"`
		Parameters api.WatchParams `json:"parameters"`
	}{w.id, api.MethodWatch, p})
	c.writeMu.Unlock()
	if err != nil {
		c.dropWatcher(w.id)
		return nil, ErrClosed
	}
	select {
	case resp, ok := <-ch:
		if !ok {
			return nil, ErrClosed
		}
		if resp.Status != api.StatusSuccess {
			c.dropWatcher(w.id)
			return nil, &api.Error{Code: resp.Code, Message: resp.Message}
		}
		return w, nil
	case <-ctx.Done():
		c.dropWatcher(w.id)
		return nil, ctx.Err()
	}
}

func (c *Client) dropWatcher(id int64) {
	c.mu.Lock()
	delete(c.watchers, id)
	delete(c.pending, id)
	c.mu.Unlock()
}

func (w *Watcher) push(ev api.Event) {
	w.mu.Lock()
	if len(w.queue) >= watchBuffer {
		w.queue = w.queue[1:]
		w.Dropped++
	}
	w.queue = append(w.queue, ev)
	w.mu.Unlock()
	select {
	case w.notify <- struct{}{}:
	default:
	}
}

func (w *Watcher) closeWith(err error) {
	w.mu.Lock()
	if w.err == nil {
		w.err = err
	}
	w.mu.Unlock()
	select {
	case w.notify <- struct{}{}:
	default:
	}
}

// Next blocks until the next event, ctx's end, or the watch's end.
func (w *Watcher) Next(ctx context.Context) (api.Event, error) {
	for {
		w.mu.Lock()
		if len(w.queue) > 0 {
			ev := w.queue[0]
			w.queue = w.queue[1:]
			w.mu.Unlock()
			return ev, nil
		}
		err := w.err
		w.mu.Unlock()
		if err != nil {
			return api.Event{}, err
		}
		select {
		case <-w.notify:
		case <-ctx.Done():
			return api.Event{}, ctx.Err()
		}
	}
}

// Close ends the subscription (the connection stays open).
func (w *Watcher) Close() error {
	w.c.dropWatcher(w.id)
	w.closeWith(ErrClosed)
	_, err := w.c.CallRaw(context.Background(), api.MethodUnwatch, map[string]int64{"watchId": w.id})
	return err
}
