package format

import (
	"fmt"
	"math"
	"time"
)

// Bytes is a size with binary units: "0 B", "1023 B", "1.5 KiB", "12 GiB".
// Three significant digits at most so that columns stay narrow.
func Bytes(n int64) string {
	if n < 0 {
		return "-" + Bytes(-max(n, -math.MaxInt64))
	}
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	v := float64(n)
	i := -1
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	return sig3(v) + " " + units[i]
}

// Rate is a bit rate given in kbit/s (the API's unit): "0 b/s", "800 kb/s",
// "12.5 Mb/s", "1.00 Gb/s".
func Rate(kbps float64) string {
	if math.IsNaN(kbps) || math.IsInf(kbps, 0) || kbps <= 0 {
		return "0 b/s"
	}
	bps := kbps * 1000
	units := []string{"b/s", "kb/s", "Mb/s", "Gb/s", "Tb/s"}
	i := 0
	for bps >= 1000 && i < len(units)-1 {
		bps /= 1000
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%.0f b/s", bps)
	}
	return sig3(bps) + " " + units[i]
}

// sig3 prints v (>= 1) with three significant digits.
func sig3(v float64) string {
	switch {
	case v >= 99.95:
		return fmt.Sprintf("%.0f", v)
	case v >= 9.995:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

// Duration is a compact duration for ETAs and elapsed times: "45s",
// "3m04s", "1h02m", "2d03h". Negative durations print as "0s"; "∞" stands
// for durations beyond 99 days.
func Duration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int64(d.Round(time.Second) / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	case s < 86400:
		return fmt.Sprintf("%dh%02dm", s/3600, (s%3600)/60)
	case s < 100*86400:
		return fmt.Sprintf("%dd%02dh", s/86400, (s%86400)/3600)
	}
	return "∞"
}

// ETA is the time left to move remaining bytes at kbps (kbit/s), or "-"
// when it cannot be known.
func ETA(remaining int64, kbps float64) string {
	if remaining <= 0 {
		return "0s"
	}
	if math.IsNaN(kbps) || math.IsInf(kbps, 0) || kbps <= 0 {
		return "-"
	}
	secs := float64(remaining) * 8 / (kbps * 1000)
	if secs > 100*86400 {
		return "∞"
	}
	return Duration(time.Duration(secs * float64(time.Second)))
}

// Percent is done/total as "42%", clamped to 0-100; "-" when total <= 0.
func Percent(done, total int64) string {
	if total <= 0 {
		return "-"
	}
	return fmt.Sprintf("%d%%", int(Fraction(done, total)*100))
}

// Fraction is done/total clamped to [0, 1]; 0 when total <= 0.
func Fraction(done, total int64) float64 {
	if total <= 0 || done <= 0 {
		return 0
	}
	if done >= total {
		return 1
	}
	return float64(done) / float64(total)
}

// MicrosTime converts Unix microseconds (the API's timestamps) to a time.
func MicrosTime(us int64) time.Time {
	return time.UnixMicro(us)
}

// Stamp formats t as "2006-01-02 15:04:05" in loc (UTC when nil); the zero
// time gives "-".
func Stamp(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02 15:04:05")
}

// ModTime formats a file modification time: "2006-01-02 15:04" when wide,
// "01-02 15:04" when short; the zero time gives "-".
func ModTime(t time.Time, loc *time.Location, short bool) string {
	if t.IsZero() {
		return "-"
	}
	if loc == nil {
		loc = time.UTC
	}
	if short {
		return t.In(loc).Format("01-02 15:04")
	}
	return t.In(loc).Format("2006-01-02 15:04")
}
