package pacer

import (
	"math"
	"strings"
	"testing"
	"time"
)

func steadyController(t *testing.T, cfg Config) (*Controller, *simLink) {
	t.Helper()
	l := newSimLink(100*mbit, wanRTT, deepQ, 0, 9)
	c := mustCtrl(t, cfg)
	l.add(&simFlow{sender: ctrlSender{c}})
	l.run(10 * time.Second)
	if got := c.State().Phase; got != "steady" {
		t.Fatalf("phase = %q after 10 s, want steady", got)
	}
	return c, l
}

func TestSetLimitsAppliesAtOnce(t *testing.T) {
	for _, tc := range []struct {
		name      string
		min, max  float64
		want      func(c *Controller) bool
		wantPhase string
		err       string
	}{
		{name: "max below rate", max: 10 * mbit, want: func(c *Controller) bool { return c.Rate() == 10*mbit }, wantPhase: "steady"},
		{name: "min above rate", min: 200 * mbit, want: func(c *Controller) bool { return c.Rate() == 200*mbit }, wantPhase: "steady"},
		{name: "min equals max", min: 5 * mbit, max: 5 * mbit, want: func(c *Controller) bool { return c.Rate() == 5*mbit }, wantPhase: "steady"},
		{name: "min above max", min: 2, max: 1, err: "above MaxRate"},
		{name: "negative", min: -1, err: "MinRate -1"},
		{name: "NaN max", max: math.NaN(), err: "MaxRate NaN"},
		{name: "infinite min", min: math.Inf(1), err: "MinRate +Inf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := steadyController(t, Config{})
			before := c.Rate()
			err := c.SetLimits(tc.min, tc.max)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("SetLimits error = %v, want one containing %q", err, tc.err)
				}
				if c.Rate() != before {
					t.Errorf("rejected SetLimits changed the rate %.0f -> %.0f", before, c.Rate())
				}
				return
			}
			if err != nil {
				t.Fatalf("SetLimits: %v", err)
			}
			if !tc.want(c) {
				t.Errorf("rate right after SetLimits(%v, %v) = %.0f", tc.min, tc.max, c.Rate())
			}
			if st := c.State(); st.Phase != tc.wantPhase || st.MinRate != tc.min || st.MaxRate != tc.max {
				t.Errorf("state = %+v", st)
			}
		})
	}
}

func TestRaisedCeilingProbesFast(t *testing.T) {
	l := newSimLink(100*mbit, wanRTT, deepQ, 0, 10)
	c := mustCtrl(t, Config{MaxRate: 10 * mbit})
	f := l.add(&simFlow{sender: ctrlSender{c}})
	l.run(10 * time.Second)
	if err := c.SetLimits(0, 0); err != nil {
		t.Fatal(err)
	}
	if got := c.State().Phase; got != "startup" {
		t.Fatalf("phase after raising the ceiling = %q, want startup", got)
	}
	l.run(15 * time.Second)
	if s := l.share(f, 12*time.Second, 15*time.Second); s < 0.9 {
		t.Errorf("share 2-5 s after raising the ceiling = %.3f, want >= 0.9", s)
	}
}

func TestFixedPolicy(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		want float64
	}{
		{"max rate", Config{Policy: Fixed, MaxRate: 50 * mbit, InitialRate: 1 * mbit}, 50 * mbit},
		{"initial rate", Config{Policy: Fixed, InitialRate: 3 * mbit}, 3 * mbit},
		{"initial below min", Config{Policy: Fixed, InitialRate: 3 * mbit, MinRate: 4 * mbit}, 4 * mbit},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := mustCtrl(t, tc.cfg)
			for i := range 100 {
				c.OnSample(Sample{Now: time.Duration(i) * 10 * time.Millisecond, RTT: time.Second,
					OneWayDelay: time.Duration(i) * 10 * time.Millisecond, AckedBytes: 1, LostBytes: 1 << 20})
				if c.Rate() != tc.want {
					t.Fatalf("sample %d: rate %.0f, want %.0f", i, c.Rate(), tc.want)
				}
			}
			if got := c.State().Phase; got != "fixed" {
				t.Errorf("phase = %q, want fixed", got)
			}
		})
	}
}

func TestSetPolicy(t *testing.T) {
	c, l := steadyController(t, Config{MaxRate: 500 * mbit})
	c.SetPolicy(Fixed)
	if c.Rate() != 500*mbit || c.State().Phase != "fixed" {
		t.Fatalf("after SetPolicy(Fixed): %+v", c.State())
	}
	c.SetPolicy(Policy(42))
	if c.State().Policy != Fixed {
		t.Fatalf("invalid policy was applied: %+v", c.State())
	}
	c.SetPolicy(Fair)
	if st := c.State(); st.Phase != "startup" || st.Policy != Fair {
		t.Fatalf("after SetPolicy(Fair): %+v", st)
	}
	f := l.flows[0]
	l.run(20 * time.Second)
	if s := l.share(f, 14*time.Second, 20*time.Second); s < 0.9 {
		t.Errorf("share after going back to fair = %.3f, want >= 0.9", s)
	}
	c.SetPolicy(Low)
	if st := c.State(); st.Policy != Low || st.Target >= 10*time.Millisecond {
		t.Errorf("low policy state = %+v, want a target below fair's", st)
	}
}

func TestNewControllerValidation(t *testing.T) {
	for _, tc := range []struct {
		cfg Config
		err string
	}{
		{Config{Policy: Policy(3)}, "invalid rate policy 3"},
		{Config{Policy: -1}, "invalid rate policy -1"},
		{Config{MaxRate: -1}, "MaxRate -1"},
		{Config{MinRate: math.NaN()}, "MinRate NaN"},
		{Config{InitialRate: math.Inf(1)}, "InitialRate +Inf"},
		{Config{MinRate: 10, MaxRate: 5}, "MinRate 10 is above MaxRate 5"},
		{Config{MSS: -1}, "MSS -1"},
		{Config{MSS: 70000}, "MSS 70000"},
		{Config{Policy: Fixed}, "fixed needs MaxRate or InitialRate"},
	} {
		if _, err := NewController(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("NewController(%+v) error = %v, want one containing %q", tc.cfg, err, tc.err)
		}
	}
	for _, tc := range []struct {
		cfg  Config
		want float64
	}{
		{Config{}, defaultInitialPackets * DefaultMSS},
		{Config{MSS: 9000}, defaultInitialPackets * 9000},
		{Config{InitialRate: 1e6, MaxRate: 5e5}, 5e5},
		{Config{InitialRate: 10, MinRate: 1e4}, 1e4},
		{Config{MinRate: 10, MaxRate: 10}, 10},
	} {
		if c := mustCtrl(t, tc.cfg); c.Rate() != tc.want {
			t.Errorf("NewController(%+v).Rate() = %v, want %v", tc.cfg, c.Rate(), tc.want)
		}
	}
}

func TestOnSampleSanitizes(t *testing.T) {
	c := mustCtrl(t, Config{MinRate: 1000, MaxRate: 1e9})
	for i, s := range []Sample{
		{Now: time.Second, RTT: -time.Second, OneWayDelay: math.MinInt64, AckedBytes: -5, LostBytes: math.MaxInt64, DeliveryRate: math.NaN()},
		{Now: 0, RTT: math.MaxInt64, OneWayDelay: math.MaxInt64, AckedBytes: math.MaxInt64, LostBytes: math.MaxInt64, DeliveryRate: math.Inf(1)},
		{Now: -time.Hour, AckedBytes: 1, DeliveryRate: -1},
		{Now: 2 * time.Second, RTT: 1, OneWayDelay: 1, AckedBytes: 1 << 40, DeliveryRate: 1e300},
		{Now: math.MaxInt64, RTT: 1, AckedBytes: 1},
	} {
		c.OnSample(s)
		if r := c.Rate(); math.IsNaN(r) || r < 1000 || r > 1e9 {
			t.Fatalf("sample %d (%+v): rate %v", i, s, r)
		}
	}
}

// TestDeliveryRateCappedBySendRate: a report claiming a delivery rate far
// above anything the flow sent (a burst after a stall, measured over a short
// interval) must not raise the bottleneck estimate past what was sent.
func TestDeliveryRateCappedBySendRate(t *testing.T) {
	c := mustCtrl(t, Config{InitialRate: 10 * mbit})
	now := Time(0)
	for i := range 20 {
		now += 10 * time.Millisecond
		rate := 8 * mbit
		if i == 10 {
			rate = 200 * mbit // the spike
		}
		c.OnSample(Sample{Now: now, RTT: 50 * time.Millisecond, OneWayDelay: 25 * time.Millisecond, AckedBytes: 10000, DeliveryRate: rate})
	}
	if bw, most := c.State().BtlBw, c.sentMax.get(); bw > most {
		t.Errorf("bottleneck estimate %.1f Mbit/s after a 200 Mbit/s report, want at most the %.1f Mbit/s sent", bw*8/1e6, most*8/1e6)
	}
}
