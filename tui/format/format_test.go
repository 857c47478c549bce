package format

import (
	"math"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

func TestBytes(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{0, "0 B"}, {1, "1 B"}, {1023, "1023 B"}, {1024, "1.00 KiB"}, {1536, "1.50 KiB"},
		{10 * 1024, "10.0 KiB"}, {1023 * 1024, "1023 KiB"}, {1 << 20, "1.00 MiB"}, {3_435_973_837, "3.20 GiB"},
		{1 << 40, "1.00 TiB"}, {math.MaxInt64, "8.00 EiB"}, {-2048, "-2.00 KiB"}, {math.MinInt64, "-8.00 EiB"},
	}
	for _, tt := range tests {
		if got := Bytes(tt.in); got != tt.want {
			t.Errorf("Bytes(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRate(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0 b/s"}, {-5, "0 b/s"}, {math.NaN(), "0 b/s"}, {math.Inf(1), "0 b/s"},
		{0.5, "500 b/s"}, {1, "1.00 kb/s"}, {800, "800 kb/s"}, {12_500, "12.5 Mb/s"},
		{412_000, "412 Mb/s"}, {1_000_000, "1.00 Gb/s"}, {2e12, "2000 Tb/s"},
	}
	for _, tt := range tests {
		if got := Rate(tt.in); got != tt.want {
			t.Errorf("Rate(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDurationAndETA(t *testing.T) {
	dur := []struct {
		in   time.Duration
		want string
	}{
		{-time.Second, "0s"}, {0, "0s"}, {45 * time.Second, "45s"}, {184 * time.Second, "3m04s"},
		{time.Hour + 2*time.Minute, "1h02m"}, {51 * time.Hour, "2d03h"}, {100 * 24 * time.Hour, "∞"},
	}
	for _, tt := range dur {
		if got := Duration(tt.in); got != tt.want {
			t.Errorf("Duration(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
	eta := []struct {
		remaining int64
		kbps      float64
		want      string
	}{
		{0, 100, "0s"}, {-1, 100, "0s"}, {1000, 0, "-"}, {1000, math.NaN(), "-"},
		{125_000_000, 1_000_000, "1s"}, {1_000_000_000, 8_000, "16m40s"}, {math.MaxInt64, 1, "∞"},
	}
	for _, tt := range eta {
		if got := ETA(tt.remaining, tt.kbps); got != tt.want {
			t.Errorf("ETA(%d, %v) = %q, want %q", tt.remaining, tt.kbps, got, tt.want)
		}
	}
}

func TestPercentAndFraction(t *testing.T) {
	tests := []struct {
		done, total int64
		pct         string
		frac        float64
	}{
		{0, 0, "-", 0}, {5, 0, "-", 0}, {0, 10, "0%", 0}, {5, 10, "50%", 0.5}, {10, 10, "100%", 1},
		{20, 10, "100%", 1}, {-3, 10, "0%", 0}, {999, 1000, "99%", 0.999},
	}
	for _, tt := range tests {
		if got := Percent(tt.done, tt.total); got != tt.pct {
			t.Errorf("Percent(%d, %d) = %q, want %q", tt.done, tt.total, got, tt.pct)
		}
		if got := Fraction(tt.done, tt.total); got != tt.frac {
			t.Errorf("Fraction(%d, %d) = %v, want %v", tt.done, tt.total, got, tt.frac)
		}
	}
}

func TestTimes(t *testing.T) {
	ts := time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)
	paris := time.FixedZone("CET", 3600)
	if got := Stamp(ts, nil); got != "2026-03-14 15:09:26" {
		t.Errorf("Stamp UTC = %q", got)
	}
	if got := Stamp(ts, paris); got != "2026-03-14 16:09:26" {
		t.Errorf("Stamp CET = %q", got)
	}
	if got := Stamp(time.Time{}, nil); got != "-" {
		t.Errorf("Stamp zero = %q", got)
	}
	if got := ModTime(ts, time.UTC, false); got != "2026-03-14 15:09" {
		t.Errorf("ModTime long = %q", got)
	}
	if got := ModTime(ts, time.UTC, true); got != "03-14 15:09" {
		t.Errorf("ModTime short = %q", got)
	}
	if got := ModTime(time.Time{}, nil, true); got != "-" {
		t.Errorf("ModTime zero = %q", got)
	}
	if !MicrosTime(ts.UnixMicro()).Equal(ts) {
		t.Error("MicrosTime does not invert UnixMicro")
	}
}

func TestSanitize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain.txt", "plain.txt"},
		{"naïve 日本.txt", "naïve 日本.txt"},
		{"a\nb\tc\rd", "a b c d"},
		{"\x1b[2Jclear", "?[2Jclear"},
		{"bell\x07", "bell?"},
		{"c1\u009bx", "c1?x"},
		{"bidi\u202Egnp.exe", "bidi?gnp.exe"},
		{"bad\xffutf8", "bad?utf8"},
	}
	for _, tt := range tests {
		if got := Sanitize(tt.in); got != tt.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFitAndPad(t *testing.T) {
	tests := []struct {
		fn   func(string, int) string
		name string
		in   string
		w    int
		want string
	}{
		{Fit, "Fit", "hello", 10, "hello"},
		{Fit, "Fit", "hello world", 5, "hell…"},
		{Fit, "Fit", "hello", 0, ""},
		{Fit, "Fit", "日本語です", 5, "日本…"},
		{FitLeft, "FitLeft", "/very/long/path", 8, "…ng/path"},
		{FitLeft, "FitLeft", "/short", 10, "/short"},
		{FitLeft, "FitLeft", "abc", 1, "…"},
		{FitLeft, "FitLeft", "abc", -1, ""},
		{PadRight, "PadRight", "ab", 4, "ab  "},
		{PadRight, "PadRight", "abcdef", 4, "abc…"},
		{PadLeft, "PadLeft", "ab", 4, "  ab"},
	}
	for _, tt := range tests {
		got := tt.fn(tt.in, tt.w)
		if got != tt.want {
			t.Errorf("%s(%q, %d) = %q, want %q", tt.name, tt.in, tt.w, got, tt.want)
		}
		if tt.w > 0 && Width(got) > tt.w {
			t.Errorf("%s(%q, %d) is %d cells wide", tt.name, tt.in, tt.w, Width(got))
		}
	}
}

// FuzzSanitize: nothing that survives Sanitize can drive the terminal, and
// padding what it returns always gives the asked width.
func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b]0;title\x07", "\u202Eabc", "a\x00b", "日本", "\xff\xfe", "e\u0301"} {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, w int) {
		out := Sanitize(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Sanitize(%q) = %q: invalid UTF-8", s, out)
		}
		for _, r := range out {
			if unicode.IsControl(r) || isBidiControl(r) {
				t.Fatalf("Sanitize(%q) = %q keeps control %U", s, out, r)
			}
		}
		if Sanitize(out) != out {
			t.Fatalf("Sanitize is not idempotent on %q", s)
		}
		w = w % 200
		if w < 0 {
			w = -w
		}
		if p := PadRight(out, w); Width(p) != w && !strings.ContainsFunc(out, isWide) {
			t.Fatalf("PadRight(%q, %d) is %d cells", out, w, Width(p))
		}
		if Width(Fit(out, w)) > w {
			t.Fatalf("Fit(%q, %d) too wide", out, w)
		}
	})
}

// isWide reports runes whose width can make an exact pad impossible (a wide
// rune that does not fit in the last cell).
func isWide(r rune) bool { return Width(string(r)) != 1 }
