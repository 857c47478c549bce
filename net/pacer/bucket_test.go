package pacer

import (
	"encoding/binary"
	"math"
	"testing"
	"time"
)

const ms = time.Millisecond

// TestBucketDelays walks exact sequences: 1000 B/s is one byte per ms.
func TestBucketDelays(t *testing.T) {
	type op struct {
		at     time.Duration
		n      int
		rate   float64 // > 0: SetRate before the send
		want   time.Duration
		tokens float64 // credit after the op
	}
	for _, tc := range []struct {
		name  string
		rate  float64
		burst int
		ops   []op
	}{
		{"burst then paced", 1000, 1000, []op{
			{at: 0, n: 600, want: 0, tokens: 400},
			{at: 0, n: 400, want: 0, tokens: 0},
			{at: 0, n: 500, want: 500 * ms, tokens: 0},
			{at: 499 * ms, n: 500, want: ms, tokens: 499},
			{at: 500 * ms, n: 500, want: 0, tokens: 0},
		}},
		{"burst caps idle credit", 1000, 1000, []op{
			{at: 0, n: 1000, want: 0, tokens: 0},
			{at: time.Hour, n: 1000, want: 0, tokens: 0},
			{at: time.Hour, n: 1, want: ms, tokens: 0},
		}},
		{"zero burst paces each send", 1000, 0, []op{
			{at: 0, n: 100, want: 0, tokens: -100},
			{at: 0, n: 100, want: 100 * ms, tokens: -100},
			{at: 100 * ms, n: 100, want: 0, tokens: -100},
		}},
		{"oversized send needs a full bucket", 1000, 100, []op{
			{at: 0, n: 50, want: 0, tokens: 50},
			{at: 0, n: 300, want: 50 * ms, tokens: 50},
			{at: 50 * ms, n: 300, want: 0, tokens: -200},
			{at: 50 * ms, n: 10, want: 210 * ms, tokens: -200},
		}},
		{"rate change keeps the deficit in bytes", 1000, 1000, []op{
			{at: 0, n: 1000, want: 0, tokens: 0},
			{at: 500 * ms, rate: 2000, n: 1000, want: 250 * ms, tokens: 500},
			{at: 750 * ms, n: 1000, want: 0, tokens: 0},
			{at: 750 * ms, rate: 500, n: 100, want: 200 * ms, tokens: 0},
		}},
		{"integer ceiling", 3, 0, []op{
			{at: 0, n: 1, want: 0},
			{at: 0, n: 1, want: 333333334},
			{at: 333333334, n: 1, want: 0},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := NewBucket(tc.rate, tc.burst)
			for i, o := range tc.ops {
				if o.rate > 0 {
					b.SetRate(o.rate, o.at)
				}
				if got := b.Delay(o.n, o.at); got != o.want {
					t.Fatalf("op %d: Delay(%d, %v) = %v, want %v", i, o.n, o.at, got, o.want)
				}
				if o.tokens != 0 || tc.rate > 3 {
					if got := b.Tokens(o.at); math.Abs(got-o.tokens) > 1e-6 {
						t.Fatalf("op %d: Tokens = %v, want %v", i, got, o.tokens)
					}
				}
			}
		})
	}
}

func TestBucketUnlimited(t *testing.T) {
	for _, rate := range []float64{0, -5, math.Inf(1), math.NaN()} {
		b := NewBucket(rate, -10)
		for i := range 10 {
			if d := b.Delay(1<<20, time.Duration(i)); d != 0 {
				t.Fatalf("rate %v: Delay = %v, want 0", rate, d)
			}
		}
		if b.Burst() != 0 || b.Tokens(0) != 0 {
			t.Errorf("rate %v: burst %d tokens %v", rate, b.Burst(), b.Tokens(0))
		}
	}
	// Limited -> unlimited -> limited starts full again.
	b := NewBucket(1000, 1000)
	b.Delay(1000, 0)
	b.SetRate(0, 0)
	if d := b.Delay(5000, 0); d != 0 {
		t.Fatalf("unlimited Delay = %v", d)
	}
	b.SetRate(1000, 0)
	if d := b.Delay(1000, 0); d != 0 || b.Rate() != 1000 {
		t.Fatalf("after re-limiting: Delay = %v rate %v", d, b.Rate())
	}
	if d := b.Delay(0, 0); d != 0 {
		t.Fatalf("Delay(0) = %v", d)
	}
}

func TestBucketExtremes(t *testing.T) {
	b := NewBucket(1e-3, 0)
	if d := b.Delay(math.MaxInt32, 0); d != 0 {
		t.Fatalf("first send from a full bucket: %v", d)
	}
	if d := b.Delay(1, 0); d <= 0 {
		t.Fatalf("tiny rate: Delay = %v, want a positive (saturated) wait", d)
	}
	b = NewBucket(1e300, 0)
	if d := b.Delay(1, -time.Hour); d != 0 {
		t.Fatalf("huge rate: Delay = %v", d)
	}
}

// FuzzBucket checks two properties on random send schedules: waiting the
// returned delay always lets the send through, and the bytes sent over any
// prefix never exceed burst + rate × elapsed (+ one oversized send).
func FuzzBucket(f *testing.F) {
	f.Add(uint32(1000), uint16(1500), []byte{1, 2, 3, 200, 100, 0, 0, 9})
	f.Add(uint32(1), uint16(0), []byte{255, 255, 0, 1})
	f.Add(uint32(125_000_000), uint16(64000), []byte{0, 0, 0, 0, 7, 7})
	f.Fuzz(func(t *testing.T, rate uint32, burst uint16, ops []byte) {
		if rate == 0 {
			return
		}
		b := NewBucket(float64(rate), int(burst))
		var now time.Duration
		var sent float64
		maxN := 0
		for i := 0; i+1 < len(ops); i += 2 {
			n := int(binary.BigEndian.Uint16(ops[i:])) + 1
			maxN = max(maxN, n)
			if i%6 == 4 {
				b.SetRate(float64(rate), now)
			}
			d := b.Delay(n, now)
			if d > 0 {
				now += d
				if d2 := b.Delay(n, now); d2 != 0 {
					t.Fatalf("after waiting %v, Delay(%d) = %v", d, n, d2)
				}
			}
			sent += float64(n)
			limit := float64(burst) + float64(rate)*now.Seconds() + float64(maxN) + 1
			if sent > limit {
				t.Fatalf("sent %v bytes by %v, limit %v", sent, now, limit)
			}
			now += time.Duration(ops[i]) * time.Microsecond
		}
	})
}
