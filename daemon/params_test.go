package daemon

import (
	"encoding/json"
	"testing"
)

func TestParseInt(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true},
		{"-7", -7, true},
		{"9223372036854775807", 9223372036854775807, true}, // int64 max, exact
		{"-9223372036854775808", -9223372036854775808, true},
		{"1700000000000000123", 1700000000000000123, true}, // µs timestamps stay exact
		{"1e3", 1000, true},
		{"5.0", 5, true},
		{"1.5", 0, false},
		{"9223372036854775808", 0, false}, // overflows int64 and 2^53
		{"1e300", 0, false},
		{`"5"`, 0, false},
		{"true", 0, false},
		{"null", 0, true}, // absent value: the zero default, as encoding/json
	} {
		got, ok := parseInt(json.RawMessage(tc.in))
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseInt(%s) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
