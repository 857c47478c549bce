package linkemu

import (
	"strings"
	"testing"
	"time"
)

func TestParseDirConfig(t *testing.T) {
	tests := []struct {
		spec string
		want DirConfig
	}{
		{"", DirConfig{}},
		{"delay=25ms", DirConfig{Delay: 25 * time.Millisecond}},
		{" delay = 0 , loss = 0 ", DirConfig{}},
		{"delay=25ms,jitter=2ms,reorder=true", DirConfig{Delay: 25 * time.Millisecond, Jitter: 2 * time.Millisecond, Reorder: true}},
		{"loss=1%", DirConfig{Loss: 0.01}},
		{"loss=0.03", DirConfig{Loss: 0.03}},
		{"rate=500Mbit,queue=50ms", DirConfig{Rate: 500_000_000, QueueLimit: 50 * time.Millisecond}},
		{"rate=2.5gbit", DirConfig{Rate: 2_500_000_000}},
		{"rate=64kbit", DirConfig{Rate: 64_000}},
		{"rate=unlimited", DirConfig{}},
		{"ge=1%/30%/50%", DirConfig{GE: GilbertElliott{P: 0.01, R: 0.3, LossBad: 0.5}}},
		{"GE=0.01/0.3/1/0.001", DirConfig{GE: GilbertElliott{P: 0.01, R: 0.3, LossBad: 1, LossGood: 0.001}}},
	}
	for _, tt := range tests {
		got, err := ParseDirConfig(tt.spec)
		if err != nil {
			t.Errorf("ParseDirConfig(%q): %v", tt.spec, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseDirConfig(%q) = %+v, want %+v", tt.spec, got, tt.want)
		}
	}
}

func TestParseDirConfigErrors(t *testing.T) {
	tests := []struct{ spec, wantErr string }{
		{"delay", "not key=value"},
		{"delay=", "not key=value"},
		{"=5ms", "not key=value"},
		{"delay=5ms,delay=6ms", "given twice"},
		{"latency=5ms", `unknown key "latency"`},
		{"delay=5", "bad duration"},
		{"delay=-5ms", "negative duration"},
		{"delay=11s", "out of range"},
		{"loss=101%", "outside [0, 1]"},
		{"loss=1.5", "outside [0, 1]"},
		{"loss=NaN", "bad probability"},
		{"loss=abc", "bad probability"},
		{"rate=500", "bad rate"},
		{"rate=500Mbps", "bad rate"},
		{"rate=-5Mbit", "outside"},
		{"rate=1e30bit", "outside"},
		{"ge=0.1/0.2", "not p/r/loss_bad"},
		{"ge=0.1/0/1", "stay in the bad state forever"},
		{"reorder=maybe", "reorder"},
	}
	for _, tt := range tests {
		_, err := ParseDirConfig(tt.spec)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("ParseDirConfig(%q) error = %v, want it to contain %q", tt.spec, err, tt.wantErr)
		}
	}
}

func TestDirConfigStringRoundTrip(t *testing.T) {
	cfgs := []DirConfig{
		{},
		{Delay: 150 * time.Millisecond, Jitter: 1500 * time.Microsecond, Reorder: true},
		{Loss: 0.005, Rate: 100_000_000, QueueLimit: 200 * time.Millisecond},
		{GE: GilbertElliott{P: 0.001, R: 0.3, LossBad: 0.7, LossGood: 0.0001}},
	}
	for _, c := range cfgs {
		got, err := ParseDirConfig(c.String())
		if err != nil || got != c {
			t.Errorf("round trip of %+v via %q = %+v, %v", c, c.String(), got, err)
		}
	}
}

func TestValidateRejectsNaN(t *testing.T) {
	var nan float64
	nan = nan / nan
	if err := (DirConfig{Loss: nan}).Validate(); err == nil {
		t.Fatal("NaN loss accepted")
	}
}

func FuzzParseDirConfig(f *testing.F) {
	for _, s := range []string{"", "delay=25ms,jitter=2ms,loss=1%,ge=0.01/0.3/50%,rate=500Mbit,queue=50ms", "rate=unlimited", "reorder=1", "ge=1/1/1/1", "loss=1e-3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		c, err := ParseDirConfig(spec)
		if err != nil {
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("ParseDirConfig(%q) returned invalid config: %v", spec, err)
		}
		again, err := ParseDirConfig(c.String())
		if err != nil || again != c {
			t.Fatalf("round trip %q -> %q -> %+v, %v; want %+v", spec, c.String(), again, err, c)
		}
	})
}
