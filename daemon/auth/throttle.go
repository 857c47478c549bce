package auth

import "time"

// Failure delays: the n-th consecutive failure for a (user, remote host) key
// costs baseDelay * 2^(n-1), at most maxDelay.
const (
	baseDelay = 500 * time.Millisecond
	maxDelay  = 8 * time.Second
	// forgetAfter drops a key's failures after this long without one.
	forgetAfter = 15 * time.Minute
	// maxKeys bounds the throttle's memory.
	maxKeys = 10000
)

// throttle is the pure bookkeeping of failed logins: no clock, no locking
// (the Authenticator holds its mutex and passes now).
type throttle struct {
	keys map[string]*failures
}

type failures struct {
	n    int       // consecutive failures
	next time.Time // earliest start of the next attempt
	last time.Time // time of the last failure
}

func newThrottle() *throttle { return &throttle{keys: make(map[string]*failures)} }

func delayFor(n int) time.Duration {
	if n <= 0 {
		return 0
	}
	d := baseDelay
	for i := 1; i < n && d < maxDelay; i++ {
		d *= 2
	}
	return min(d, maxDelay)
}

// reserve returns how long an attempt starting now must wait. Attempts on a
// key with failures get successive slots one delay apart, so parallel
// guesses are serialized rather than all let through at once.
func (t *throttle) reserve(key string, now time.Time) time.Duration {
	f := t.keys[key]
	if f == nil {
		return 0
	}
	if now.Sub(f.last) > forgetAfter {
		delete(t.keys, key)
		return 0
	}
	slot := f.next
	if slot.Before(now) {
		slot = now
	}
	f.next = slot.Add(delayFor(f.n))
	return slot.Sub(now)
}

// fail records a failure and returns the delay before the reply.
func (t *throttle) fail(key string, now time.Time) time.Duration {
	f := t.keys[key]
	if f == nil || now.Sub(f.last) > forgetAfter {
		if f == nil {
			t.makeRoom(now)
		}
		f = &failures{}
		t.keys[key] = f
	}
	f.n++
	f.last = now
	d := delayFor(f.n)
	if until := now.Add(d); f.next.Before(until) {
		f.next = until
	}
	return d
}

// succeed forgets a key's failures.
func (t *throttle) succeed(key string) { delete(t.keys, key) }

// makeRoom keeps the map under maxKeys: first drop forgotten keys, then the
// one idle for longest.
func (t *throttle) makeRoom(now time.Time) {
	if len(t.keys) < maxKeys {
		return
	}
	var oldest string
	var oldestAt time.Time
	for k, f := range t.keys {
		if now.Sub(f.last) > forgetAfter {
			delete(t.keys, k)
			continue
		}
		if oldest == "" || f.last.Before(oldestAt) {
			oldest, oldestAt = k, f.last
		}
	}
	if len(t.keys) >= maxKeys {
		delete(t.keys, oldest)
	}
}
