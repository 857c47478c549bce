package pacer

import (
	"strings"
	"testing"
)

func TestPolicyText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Policy
		err  bool
	}{
		{"fair", Fair, false},
		{"fixed", Fixed, false},
		{"low", Low, false},
		{" LOW\n", Low, false},
		{"Fair", Fair, false},
		{"", 0, true},
		{"high", 0, true},
		{"fai", 0, true},
	} {
		got, err := ParsePolicy(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("ParsePolicy(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.err)
		}
		if err != nil && !strings.Contains(err.Error(), "want fair, fixed or low") {
			t.Errorf("ParsePolicy(%q) error %q does not list the choices", tc.in, err)
		}
	}
	for p, want := range map[Policy]string{Fair: "fair", Fixed: "fixed", Low: "low", 7: "Policy(7)", -1: "Policy(-1)"} {
		if got := p.String(); got != want {
			t.Errorf("Policy(%d).String() = %q, want %q", int(p), got, want)
		}
	}
	var p Policy
	if err := p.UnmarshalText([]byte("low")); err != nil || p != Low {
		t.Errorf("UnmarshalText(low) = %v, %v", p, err)
	}
	if err := p.UnmarshalText([]byte("bogus")); err == nil || p != Low {
		t.Errorf("UnmarshalText(bogus) = %v, %v; want error and unchanged", p, err)
	}
	if b, err := Fixed.MarshalText(); err != nil || string(b) != "fixed" {
		t.Errorf("MarshalText(Fixed) = %q, %v", b, err)
	}
	if _, err := Policy(9).MarshalText(); err == nil {
		t.Error("MarshalText(Policy(9)) succeeded")
	}
}

func FuzzParsePolicy(f *testing.F) {
	for _, s := range []string{"fair", "fixed", "low", " Low ", "", "high", "\x00", "ﬁxed"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePolicy(s)
		if err != nil {
			return
		}
		back, err := ParsePolicy(p.String())
		if err != nil || back != p {
			t.Fatalf("ParsePolicy(%q) = %v, but its name parses to %v, %v", s, p, back, err)
		}
	})
}
