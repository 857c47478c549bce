package config

import (
	"strings"
	"testing"
)

func TestParseRate(t *testing.T) {
	good := []struct {
		in   string
		want float64 // bit/s
	}{
		{"100000", 100e6}, // plain = kbit/s
		{"0", 0},
		{"1.5", 1500},
		{".5", 500},
		{"7.", 7000},
		{"500K", 500e3},
		{"500k", 500e3},
		{"500M", 500e6},
		{"500m", 500e6},
		{"1.5G", 1.5e9},
		{"2T", 2e12},
		{"500Mbps", 500e6},
		{"500 Mbit/s", 500e6},
		{"500Mb", 500e6},
		{"500Mb/s", 500e6},
		{"10 gbits/s", 10e9},
		{"64000bps", 64000},
		{"  250M\t", 250e6},
		{"1000T", 1e15},
	}
	for _, tc := range good {
		got, err := ParseRate(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseRate(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	syntax := "want kbit/s (e.g. 100000) or a number with a K, M, G or T suffix (e.g. 500M)"
	bad := []struct{ in, err string }{
		{"", `invalid rate "": empty; ` + syntax},
		{"   ", `invalid rate "   ": empty; ` + syntax},
		{"fast", `invalid rate "fast": ` + syntax},
		{"-5M", `invalid rate "-5M": must not be negative`},
		{"+5M", `invalid rate "+5M": ` + syntax},
		{".", `invalid rate ".": ` + syntax},
		{"1e6", `invalid rate "1e6": unknown unit "e6"; ` + syntax},
		{"1.2.3", `invalid rate "1.2.3": unknown unit ".3"; ` + syntax},
		{"500MB", `invalid rate "500MB": bytes are not accepted, write bits (e.g. 4G for 500 MB/s)`},
		{"500Bps", `invalid rate "500Bps": bytes are not accepted, write bits (e.g. 4G for 500 MB/s)`},
		{"5X", `invalid rate "5X": unknown unit "X"; ` + syntax},
		{"5Mbytes", `invalid rate "5Mbytes": unknown unit "Mbytes"; ` + syntax},
		{"inf", `invalid rate "inf": ` + syntax},
		{"NaN", `invalid rate "NaN": ` + syntax},
		{"0x10", `invalid rate "0x10": unknown unit "x10"; ` + syntax},
		{"1001T", `invalid rate "1001T": above the maximum of 1000T`},
		{strings.Repeat("9", 400), `invalid rate "` + strings.Repeat("9", 64) + `"...: above the maximum of 1000T`},
		{"10%", `invalid rate "10%": unknown unit "%"; ` + syntax},
	}
	for _, tc := range bad {
		got, err := ParseRate(tc.in)
		if err == nil || err.Error() != tc.err {
			t.Errorf("ParseRate(%q) = %v, %v\nwant error %s", tc.in, got, err, tc.err)
		}
	}
}
