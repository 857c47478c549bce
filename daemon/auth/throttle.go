package auth

import (
	"slices"
	"time"
)

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

// makeRoom keeps the map under maxKeys: it drops forgotten keys and, if
// that is not enough, the least recently failing tenth, so the O(n) sweep
// runs at most once per maxKeys/10 new keys.
func (t *throttle) makeRoom(now time.Time) {
	if len(t.keys) < maxKeys {
		return
	}
	for k, f := range t.keys {
		if now.Sub(f.last) > forgetAfter {
			delete(t.keys, k)
		}
	}
	excess := len(t.keys) - maxKeys*9/10
	if excess <= 0 {
		return
	}
	type aged struct {
		key  string
		last time.Time
	}
	all := make([]aged, 0, len(t.keys))
	for k, f := range t.keys {
		all = append(all, aged{k, f.last})
	}
	slices.SortFunc(all, func(a, b aged) int { return a.last.Compare(b.last) })
	for _, a := range all[:excess] {
		delete(t.keys, a.key)
	}
}
