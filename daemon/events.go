package daemon

import (
	"encoding/json"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/store"
)

// bus records events in the store and fans them out to subscribers. A slow
// subscriber never blocks the daemon: its events are dropped and counted,
// and the sequence numbers show the gap.
type bus struct {
	st      *store.Store
	log     *slog.Logger
	mu      sync.Mutex
	subs    map[*subscription]struct{}
	closed  bool
	dropped atomic.Int64
	hooks   []func(owner string, ev api.Event)
}

// subscription is one watch.
type subscription struct {
	owner string // "" with all = superuser
	all   bool
	names map[string]bool // empty = every event
	ch    chan api.Event
}

func newBus(st *store.Store, log *slog.Logger) *bus {
	return &bus{st: st, log: log, subs: map[*subscription]struct{}{}}
}

// emit appends an event owned by owner ("" = the server) and publishes it.
func (b *bus) emit(owner, name string, fields map[string]any) api.Event {
	ts := time.Now().UnixMicro()
	fields = normalise(fields)
	ev := api.Event{Name: name, Timestamp: ts, Fields: fields}
	if rec, err := b.st.AppendEvent(owner, name, ts, fields); err != nil {
		b.log.Error("event log write failed", "event", name, "err", err)
	} else {
		ev.Seq = rec.Seq
	}
	b.publish(owner, ev)
	return ev
}

// publish sends ev to subscribers without recording it (progress ticks).
func (b *bus) publish(owner string, ev api.Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	for _, h := range b.hooks {
		h(owner, ev)
	}
	for s := range b.subs {
		if !s.all && owner != s.owner {
			continue
		}
		if len(s.names) > 0 && !s.names[ev.Name] {
			continue
		}
		select {
		case s.ch <- ev:
		default:
			b.dropped.Add(1)
		}
	}
}

func (b *bus) subscribe(owner string, all bool, names []string) *subscription {
	s := &subscription{owner: owner, all: all, names: map[string]bool{}, ch: make(chan api.Event, 1024)}
	for _, n := range names {
		if n != "" {
			s.names[n] = true
		}
	}
	b.mu.Lock()
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	return s
}

func (b *bus) unsubscribe(s *subscription) {
	b.mu.Lock()
	if _, ok := b.subs[s]; ok {
		delete(b.subs, s)
		close(s.ch)
	}
	b.mu.Unlock()
}

func (b *bus) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for s := range b.subs {
		delete(b.subs, s)
		close(s.ch)
	}
}

// normalise turns fields into plain JSON values so that live events and
// events read back from the store look the same.
func normalise(fields map[string]any) map[string]any {
	if fields == nil {
		return map[string]any{}
	}
	b, err := json.Marshal(fields)
	if err != nil {
		return fields
	}
	var out map[string]any
	if json.Unmarshal(b, &out) != nil {
		return fields
	}
	return out
}
