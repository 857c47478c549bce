package auth

import (
	"fmt"
	"testing"
	"time"
)

func TestDelayFor(t *testing.T) {
	for n, want := range map[int]time.Duration{
		-1: 0, 0: 0, 1: 500 * time.Millisecond, 2: time.Second, 3: 2 * time.Second,
		4: 4 * time.Second, 5: 8 * time.Second, 6: 8 * time.Second, 1000: 8 * time.Second,
	} {
		if got := delayFor(n); got != want {
			t.Errorf("delayFor(%d) = %v, want %v", n, got, want)
		}
	}
}

func TestThrottleSequential(t *testing.T) {
	th := newThrottle()
	now := time.Unix(1000, 0)
	var delays []time.Duration
	for range 6 {
		if w := th.reserve("k", now); w != 0 {
			t.Fatalf("sequential attempt had to wait %v", w)
		}
		d := th.fail("k", now)
		delays = append(delays, d)
		now = now.Add(d) // the client gets its answer after d, then retries
	}
	want := fmt.Sprint([]time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second})
	if fmt.Sprint(delays) != want {
		t.Errorf("delays %v, want %v", delays, want)
	}
	th.succeed("k")
	if w := th.reserve("k", now); w != 0 {
		t.Errorf("wait after success: %v", w)
	}
	if d := th.fail("k", now); d != 500*time.Millisecond {
		t.Errorf("first failure after success: %v", d)
	}
}

func TestThrottleParallelAttemptsAreStaggered(t *testing.T) {
	th := newThrottle()
	now := time.Unix(1000, 0)
	th.fail("k", now)
	th.fail("k", now) // n=2: delay 1 s, next attempt from now+1s
	var waits []time.Duration
	for range 3 {
		waits = append(waits, th.reserve("k", now))
	}
	want := fmt.Sprint([]time.Duration{time.Second, 2 * time.Second, 3 * time.Second})
	if fmt.Sprint(waits) != want {
		t.Errorf("parallel waits %v, want %v", waits, want)
	}
	if w := th.reserve("other", now); w != 0 {
		t.Errorf("another key waits %v", w)
	}
}

func TestThrottleForgets(t *testing.T) {
	th := newThrottle()
	now := time.Unix(1000, 0)
	for range 4 {
		th.fail("k", now)
	}
	later := now.Add(forgetAfter + time.Second)
	if w := th.reserve("k", later); w != 0 {
		t.Errorf("wait after forgetAfter: %v", w)
	}
	if d := th.fail("k", later); d != baseDelay {
		t.Errorf("failure after forgetAfter costs %v, want %v", d, baseDelay)
	}
}

func TestThrottleBoundedMemory(t *testing.T) {
	th := newThrottle()
	now := time.Unix(1000, 0)
	for i := range maxKeys + 500 {
		th.fail(fmt.Sprint("k", i), now.Add(time.Duration(i)*time.Millisecond))
	}
	if n := len(th.keys); n > maxKeys || n < maxKeys*9/10 {
		t.Fatalf("%d keys kept, limit %d", n, maxKeys)
	}
	// The least recently failing keys went first; the newest are kept.
	if _, ok := th.keys["k0"]; ok {
		t.Error("oldest key kept")
	}
	if _, ok := th.keys[fmt.Sprint("k", maxKeys+499)]; !ok {
		t.Error("newest key dropped")
	}
	// Forgotten keys are swept before anything live is evicted.
	for i := 0; len(th.keys) < maxKeys; i++ {
		th.fail(fmt.Sprint("filler", i), now)
	}
	late := now.Add(forgetAfter + time.Hour)
	th.fail("fresh", late)
	if len(th.keys) != 1 {
		t.Errorf("%d keys after sweeping, want 1", len(th.keys))
	}
}
