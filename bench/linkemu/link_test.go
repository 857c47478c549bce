package linkemu

import (
	"math"
	"testing"
	"time"
)

const ms1 = time.Millisecond

func mustLink(t testing.TB, spec string, seed uint64) *Link {
	t.Helper()
	c, err := ParseDirConfig(spec)
	if err != nil {
		t.Fatal(err)
	}
	l, err := NewLink(c, seed)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestSerialisationTime(t *testing.T) {
	tests := []struct {
		size int
		rate int64
		want time.Duration
	}{
		{1500, 1_000_000_000, 12 * time.Microsecond},
		{1500, 100_000_000, 120 * time.Microsecond},
		{1500, 12_000_000, time.Millisecond},
		{1, 3, 2666666667}, // rounds up
		{1500, 0, 0},
		{0, 1000, 0},
	}
	for _, tt := range tests {
		if got := SerialisationTime(tt.size, tt.rate); got != tt.want {
			t.Errorf("SerialisationTime(%d, %d) = %v, want %v", tt.size, tt.rate, got, tt.want)
		}
	}
}

func TestLinkDelayOnly(t *testing.T) {
	l := mustLink(t, "delay=25ms", 1)
	for _, now := range []time.Duration{0, 0, 3 * ms1, time.Second} {
		d := l.Offer(now, 1500)
		if d.Verdict != Forward || d.Depart != now+25*ms1 || d.QueueDelay != 0 {
			t.Fatalf("Offer(%v) = %+v, want forward at %v", now, d, now+25*ms1)
		}
	}
}

func TestLinkRateSpacesPackets(t *testing.T) {
	// 100 Mbit/s: a 1500-byte packet takes 120 µs. A burst of 5 at t=0
	// leaves back to back, each waiting for the ones before it.
	l := mustLink(t, "rate=100Mbit,queue=10ms,delay=10ms", 1)
	for i := range 5 {
		d := l.Offer(0, 1500)
		wantDepart := time.Duration(i+1)*120*time.Microsecond + 10*ms1
		wantQ := time.Duration(i) * 120 * time.Microsecond
		if d.Verdict != Forward || d.Depart != wantDepart || d.QueueDelay != wantQ {
			t.Fatalf("packet %d: %+v, want depart %v queue %v", i, d, wantDepart, wantQ)
		}
	}
	// Once the link has drained, a new packet waits for nothing.
	d := l.Offer(time.Second, 1500)
	if d.QueueDelay != 0 || d.Depart != time.Second+120*time.Microsecond+10*ms1 {
		t.Fatalf("after idle: %+v", d)
	}
}

func TestLinkQueueDropTail(t *testing.T) {
	tests := []struct {
		name      string
		spec      string
		burst     int
		wantAdmit int
	}{
		// 100 Mbit/s, 1 ms queue: packet k (0-based) is admitted while
		// k*120µs + 120µs <= 1ms, i.e. k <= 7: 8 packets.
		{"1ms queue", "rate=100Mbit,queue=1ms", 20, 8},
		// A queue shorter than one packet still passes one packet at a time.
		{"tiny queue", "rate=100Mbit,queue=1us", 20, 1},
		// Default queue (100 ms) at 12 Mbit/s: 1 ms per packet → 100.
		{"default queue", "rate=12Mbit", 150, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := mustLink(t, tt.spec, 1)
			admitted := 0
			for range tt.burst {
				switch d := l.Offer(0, 1500); d.Verdict {
				case Forward:
					admitted++
				case DropQueue:
				default:
					t.Fatalf("unexpected verdict %v", d.Verdict)
				}
			}
			if admitted != tt.wantAdmit {
				t.Fatalf("admitted %d of %d, want %d", admitted, tt.burst, tt.wantAdmit)
			}
		})
	}
}

func TestLinkQueueRefillsAsItDrains(t *testing.T) {
	// 12 Mbit/s (1 ms per 1500 B), 5 ms queue, offered at 2 packets/ms:
	// in steady state exactly one of every two packets gets through.
	l := mustLink(t, "rate=12Mbit,queue=5ms", 1)
	var fwd, drop int
	for i := range 2000 {
		now := time.Duration(i) * 500 * time.Microsecond
		if l.Offer(now, 1500).Verdict == Forward {
			fwd++
		} else {
			drop++
		}
	}
	// 1000 ms of offered time at 1 packet/ms, plus the initial queue fill.
	if fwd < 1000 || fwd > 1006 {
		t.Fatalf("forwarded %d, dropped %d; want about 1000 forwarded", fwd, drop)
	}
}

func TestLinkJitter(t *testing.T) {
	for _, reorder := range []bool{false, true} {
		spec := "delay=50ms,jitter=10ms"
		if reorder {
			spec += ",reorder=true"
		}
		l := mustLink(t, spec, 7)
		var last time.Duration
		inversions := 0
		for i := range 10000 {
			now := time.Duration(i) * 100 * time.Microsecond
			d := l.Offer(now, 100)
			if d.Depart < last {
				inversions++
			}
			if d.Depart < now+40*ms1 || (reorder && d.Depart > now+60*ms1) {
				t.Fatalf("reorder=%v: packet at %v departs %v, outside the jitter band", reorder, now, d.Depart)
			}
			last = d.Depart
		}
		if !reorder && inversions != 0 {
			t.Fatalf("reorder=false: %d inversions", inversions)
		}
		if reorder && inversions == 0 {
			t.Fatal("reorder=true: no inversion in 10000 packets 100 µs apart with 10 ms jitter")
		}
	}
}

// within checks an empirical rate against p with a 5-sigma binomial bound.
func within(t *testing.T, what string, got, n int, p float64) {
	t.Helper()
	sigma := math.Sqrt(float64(n) * p * (1 - p))
	if math.Abs(float64(got)-float64(n)*p) > 5*sigma+1 {
		t.Errorf("%s: %d of %d (%.4f), want %.4f ± 5σ", what, got, n, float64(got)/float64(n), p)
	}
}

func TestLinkRandomLoss(t *testing.T) {
	for _, p := range []float64{0, 0.005, 0.01, 0.05, 1} {
		c := DirConfig{Loss: p}
		l, err := NewLink(c, 42)
		if err != nil {
			t.Fatal(err)
		}
		const n = 200000
		lost := 0
		for i := range n {
			if l.Offer(time.Duration(i), 1500).Verdict == DropLoss {
				lost++
			}
		}
		within(t, "random loss", lost, n, p)
		if p == 0 && lost != 0 || p == 1 && lost != n {
			t.Errorf("p=%v: lost %d of %d", p, lost, n)
		}
	}
}

func TestLinkGilbertElliott(t *testing.T) {
	ge := GilbertElliott{P: 0.01, R: 0.25, LossBad: 1}
	l, err := NewLink(DirConfig{GE: ge}, 3)
	if err != nil {
		t.Fatal(err)
	}
	const n = 400000
	lost, bursts, run := 0, 0, 0
	for i := range n {
		if l.Offer(time.Duration(i), 1500).Verdict == DropLoss {
			lost++
			run++
			continue
		}
		if run > 0 {
			bursts++
			run = 0
		}
	}
	mean := ge.MeanLoss() // 0.01/0.26 ≈ 3.85 %
	if got := float64(lost) / n; math.Abs(got-mean) > 0.15*mean {
		t.Errorf("GE mean loss %.4f, want %.4f ± 15%%", got, mean)
	}
	// With loss 1 in Bad, a loss burst is a Bad period: mean length 1/R = 4.
	if got := float64(lost) / float64(bursts); math.Abs(got-1/ge.R) > 0.15/ge.R {
		t.Errorf("GE mean burst length %.2f, want %.2f ± 15%%", got, 1/ge.R)
	}
	// Bursty: far more back-to-back losses than independent loss would give.
	if float64(lost)/float64(bursts) < 2 {
		t.Errorf("GE losses are not bursty: mean burst %.2f", float64(lost)/float64(bursts))
	}
}

func TestLinkLostPacketsUseTheBottleneck(t *testing.T) {
	// Loss happens on the wire, after the queue: a lost packet still took
	// its serialisation time, so the next packet waits behind it.
	l := mustLink(t, "rate=12Mbit,queue=10ms,loss=100%", 1)
	if d := l.Offer(0, 1500); d.Verdict != DropLoss {
		t.Fatalf("first: %+v", d)
	}
	if d := l.Offer(0, 1500); d.Verdict != DropLoss || d.QueueDelay != ms1 {
		t.Fatalf("second: %+v, want loss after 1 ms in the queue", d)
	}
}

func TestLinkDeterministic(t *testing.T) {
	spec := "delay=20ms,jitter=5ms,reorder=true,loss=2%,ge=0.01/0.3/0.5,rate=50Mbit,queue=20ms"
	a, b := mustLink(t, spec, 99), mustLink(t, spec, 99)
	c := mustLink(t, spec, 100)
	differ := false
	for i := range 50000 {
		now := time.Duration(i) * 150 * time.Microsecond
		da, db, dc := a.Offer(now, 1200), b.Offer(now, 1200), c.Offer(now, 1200)
		if da != db {
			t.Fatalf("same seed diverged at packet %d: %+v vs %+v", i, da, db)
		}
		differ = differ || da != dc
	}
	if !differ {
		t.Fatal("different seeds gave identical decisions")
	}
}

func TestVerdictString(t *testing.T) {
	for v, want := range map[Verdict]string{Forward: "forward", DropQueue: "dropped_queue", DropLoss: "dropped_loss", 9: "verdict(9)"} {
		if got := v.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", v, got, want)
		}
	}
}

func BenchmarkLinkOffer(b *testing.B) {
	l := mustLink(b, "delay=50ms,jitter=1ms,loss=1%,ge=0.001/0.3/0.5,rate=1Gbit,queue=50ms", 1)
	b.ReportAllocs()
	now := time.Duration(0)
	for b.Loop() {
		now += 12 * time.Microsecond
		l.Offer(now, 1500)
	}
}
