package common

import (
	"testing"
)

func TestParseTarget(t *testing.T) {
	tests := []struct {
		in      string
		want    Location
		wantErr bool
	}{
		{"host", Location{Address: "host"}, false},
		{" host ", Location{Address: "host"}, false},
		{"bob@host", Location{Address: "host", User: "bob"}, false},
		{"bob@host:9000", Location{Address: "host", User: "bob", APIPort: 9000}, false},
		{"a@b@host", Location{Address: "host", User: "a@b"}, false},
		{"10.0.0.7:8886", Location{Address: "10.0.0.7", APIPort: 8886}, false},
		{"::1", Location{Address: "::1"}, false},
		{"[::1]", Location{Address: "::1"}, false},
		{"[fe80::1]:9", Location{Address: "fe80::1", APIPort: 9}, false},
		{"", Location{}, true},
		{"@host", Location{}, true},
		{"bob@", Location{}, true},
		{"host:", Location{}, true},
		{"host:0", Location{}, true},
		{"host:65536", Location{}, true},
		{"host:x", Location{}, true},
		{"a:b:c", Location{}, true},
		{"bad host", Location{}, true},
		{"h/x", Location{}, true},
		{"[::1]:", Location{}, true},
	}
	for _, tt := range tests {
		got, err := ParseTarget(tt.in)
		if (err != nil) != tt.wantErr || (!tt.wantErr && got != tt.want) {
			t.Errorf("ParseTarget(%q) = %+v, %v; want %+v (error %v)", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"host", "bob@host:9000", "[::1]:8886", "::1", "a:b", "@", "[", "]:1", "x@[y]:65535"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		loc, err := ParseTarget(s)
		if err != nil {
			return
		}
		if loc.Address == "" || loc.APIPort < 0 || loc.APIPort > 65535 {
			t.Fatalf("ParseTarget(%q) = %+v", s, loc)
		}
		again, err := ParseTarget(loc.Target())
		if err != nil || again != loc {
			t.Fatalf("ParseTarget(%q) = %+v; its Target %q parses to %+v, %v", s, loc, loc.Target(), again, err)
		}
	})
}

func TestLocationLabelsAndDial(t *testing.T) {
	l := Location{Name: "alpha", User: "bob", Address: "a.example"}
	if l.Label() != "alpha" || l.Target() != "bob@a.example" {
		t.Errorf("Label %q Target %q", l.Label(), l.Target())
	}
	if h, p := l.Dial(); h != "a.example" || p != 8886 {
		t.Errorf("Dial = %s %d", h, p)
	}
	if h, p := (Location{Name: "gamma", APIPort: 9}).Dial(); h != "gamma" || p != 9 {
		t.Errorf("Dial of a nameless address = %s %d", h, p)
	}
	if got := (Location{Address: "::1", APIPort: 9}).Label(); got != "[::1]:9" {
		t.Errorf("Label = %q", got)
	}
}

func TestTransferParams(t *testing.T) {
	tests := []struct {
		loc     Location
		want    TransferParams
		wantErr bool
	}{
		{Location{}, TransferParams{MinCipher: -1}, false},
		{Location{Rate: "500M", MinRate: "1000", Cipher: "aes128", Policy: "low"},
			TransferParams{RateKbps: 500_000, MinRateKbps: 1000, MinCipher: 2, Policy: "low"}, false},
		{Location{Cipher: "none"}, TransferParams{MinCipher: 0}, false},
		{Location{Rate: "fast"}, TransferParams{}, true},
		{Location{MinRate: "-1"}, TransferParams{}, true},
		{Location{Cipher: "rot13"}, TransferParams{}, true},
	}
	for _, tt := range tests {
		got, err := tt.loc.TransferParams()
		if (err != nil) != tt.wantErr || (!tt.wantErr && got != tt.want) {
			t.Errorf("%+v.TransferParams() = %+v, %v; want %+v (error %v)", tt.loc, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestLocationValidate(t *testing.T) {
	good := Location{Name: "alpha", Address: "a.example", APIPort: 9000, User: "bob", Rate: "1G", MinRate: "1M", Cipher: "aes256", Policy: "fair"}
	if err := good.Validate(); err != nil {
		t.Errorf("valid location refused: %v", err)
	}
	for _, bad := range []Location{
		{Name: "has space", Address: "h"},
		{Name: "", Address: "h"},
		{Name: "a", Address: "h", Policy: "greedy"},
		{Name: "a", Address: "h", Cipher: "des"},
		{Name: "a", Address: "h", Rate: "1M", MinRate: "1G"},
		{Name: "a", Address: "h", APIPort: 70000},
	} {
		if err := bad.Validate(); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

func TestDirectionString(t *testing.T) {
	for d, want := range map[Direction]string{Upload: "upload", Download: "download", RemoteToRemote: "server-to-server", 0: "unknown"} {
		if d.String() != want {
			t.Errorf("%d.String() = %q", d, d.String())
		}
	}
}
