package linkemu

import (
	"strings"
	"testing"
	"time"
)

func TestCountersSnapshot(t *testing.T) {
	var c Counters
	c.Received.Add(10)
	c.ReceivedBytes.Add(15000)
	c.Forwarded.Add(6)
	c.ForwardedBytes.Add(9000)
	c.DroppedLoss.Add(1)
	c.DroppedQueue.Add(1)
	for _, d := range []time.Duration{2 * time.Millisecond, 4 * time.Millisecond, 0} {
		c.addQueueDelay(d)
	}
	c.addLate(3 * time.Millisecond)
	c.addLate(-time.Millisecond) // early counts as 0
	s := c.Snapshot()
	want := DirStats{Received: 10, ReceivedBytes: 15000, Forwarded: 6, ForwardedBytes: 9000, DroppedLoss: 1, DroppedQueue: 1,
		InFlight: 2, QueueDelayMeanMS: 2, QueueDelayMaxMS: 4, QueueDelayNowMS: 0, LateMeanMS: 0.5, LateMaxMS: 3}
	if s != want {
		t.Fatalf("Snapshot = %+v\nwant       %+v", s, want)
	}
}

func TestStatsJSONRoundTrip(t *testing.T) {
	s := Stats{ElapsedS: 1.5, AtoB: DirStats{Forwarded: 3, ForwardedBytes: 4500, DroppedLoss: 1}, BtoA: DirStats{Forwarded: 2}, ConfigAB: "delay=10ms", ConfigBA: "delay=10ms"}
	b, err := s.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"a_to_b"`, `"forwarded": 3`, `"dropped_loss": 1`, `"dropped_queue": 0`, `"bytes": 4500`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON lacks %s:\n%s", key, b)
		}
	}
	got, err := ParseStats(b)
	if err != nil || got != s {
		t.Fatalf("ParseStats = %+v, %v; want %+v", got, err, s)
	}
}

func TestParseStatsErrors(t *testing.T) {
	for _, in := range []string{"", "{", `{"a_to_b":{"bogus":1}}`, `{} {}`, `{"elapsed_s":"x"}`} {
		if _, err := ParseStats([]byte(in)); err == nil {
			t.Errorf("ParseStats(%q) accepted", in)
		}
	}
}

func FuzzParseStats(f *testing.F) {
	b, _ := Stats{ElapsedS: 2, AtoB: DirStats{Forwarded: 1}}.MarshalIndent()
	f.Add(b)
	f.Add([]byte(`{"a_to_b":{},"b_to_a":{}}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, in []byte) {
		s, err := ParseStats(in)
		if err != nil {
			return
		}
		out, err := s.MarshalIndent()
		if err != nil {
			t.Fatalf("re-marshal: %v", err)
		}
		again, err := ParseStats(out)
		if err != nil || again != s {
			t.Fatalf("round trip: %+v, %v; want %+v", again, err, s)
		}
	})
}
