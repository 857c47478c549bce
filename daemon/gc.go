package daemon

import (
	"time"
)

// gcResult summarises one garbage collection.
type gcResult struct {
	EventsRemoved  int   `json:"eventsRemoved"`
	ObjectsRemoved int   `json:"objectsRemoved"`
	Forced         bool  `json:"forced"`
	DurationMs     int64 `json:"durationMs"`
}

// eventRetention is how long event log entries are kept beyond the GC grace
// period.
const eventRetention = 30 * 24 * time.Hour

// collector is implemented by subsystems that own collectable objects.
type collector interface {
	collect(now time.Time, grace time.Duration) int
}

// runGC removes expired items now; force ignores the grace period.
func (s *Server) runGC(force bool) gcResult {
	start := time.Now()
	gc := s.settings.gcSettings()
	grace := time.Duration(gc.TimeLimitSeconds) * time.Second
	if force {
		grace = 0
	}
	res := gcResult{Forced: force}
	cut := start.Add(-grace - eventRetention).UnixMicro()
	if n, err := s.store.PruneEvents(cut); err != nil {
		s.log.Error("gc: prune event log", "err", err)
	} else {
		res.EventsRemoved = n
	}
	for _, e := range s.ext {
		if c, ok := e.(collector); ok {
			res.ObjectsRemoved += c.collect(start, grace)
		}
	}
	res.DurationMs = time.Since(start).Milliseconds()
	s.bus.emit("", "gcRun", map[string]any{"eventsRemoved": res.EventsRemoved,
		"objectsRemoved": res.ObjectsRemoved, "forced": force})
	return res
}

// gcKick makes the periodic collector pick up new settings.
func (s *Server) gcKick() {
	select {
	case s.gcWake <- struct{}{}:
	default:
	}
}

// gcLoop runs the periodic collection until the server stops.
func (s *Server) gcLoop() {
	for {
		iv := time.Duration(s.settings.gcSettings().IntervalSeconds) * time.Second
		if iv < time.Minute {
			iv = time.Minute
		}
		t := time.NewTimer(iv)
		select {
		case <-s.baseCtx.Done():
			t.Stop()
			return
		case <-s.gcWake:
			t.Stop()
		case <-t.C:
			s.runGC(false)
		}
	}
}
