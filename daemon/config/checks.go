package config

import (
	"errors"
	"fmt"
	"math"
	"net"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// checkPort accepts 1-65535, and 0 ("pick a free port", for tests).
func checkPort(n int) error {
	if n < 0 || n > 65535 {
		return fmt.Errorf("must be between 1 and 65535 (or 0 for any free port), got %d", n)
	}
	return nil
}

// intRange accepts min..max; when zero is true, 0 is also accepted and means
// what zeroMeans says.
func intRange(min, max int, zeroMeans string) func(int) error {
	return func(n int) error {
		if n == 0 && zeroMeans != "" {
			return nil
		}
		if n < min || n > max {
			if zeroMeans != "" {
				return fmt.Errorf("must be between %d and %d (or 0 for %s), got %d", min, max, zeroMeans, n)
			}
			return fmt.Errorf("must be between %d and %d, got %d", min, max, n)
		}
		return nil
	}
}

// durationRange accepts min..max; when zeroMeans is set, 0 is also accepted.
func durationRange(min, max time.Duration, zeroMeans string) func(time.Duration) error {
	return func(d time.Duration) error {
		if d == 0 && zeroMeans != "" {
			return nil
		}
		if d < min || d > max {
			if zeroMeans != "" {
				return fmt.Errorf("must be between %v and %v (or 0 for %s), got %v", min, max, zeroMeans, d)
			}
			return fmt.Errorf("must be between %v and %v, got %v", min, max, d)
		}
		return nil
	}
}

// checkRateLimit accepts 0 (no limit) or a positive, finite kbit/s value.
func checkRateLimit(kbps float64) error {
	switch {
	case math.IsNaN(kbps) || math.IsInf(kbps, 0):
		return fmt.Errorf("must be a finite number of kbit/s, got %v", kbps)
	case kbps < 0:
		return fmt.Errorf("must be 0 (no limit) or a positive number of kbit/s, got %s", formatRate(kbps))
	case kbps > MaxRate/1000:
		return fmt.Errorf("must be at most %s kbit/s, got %s", formatRate(MaxRate/1000), formatRate(kbps))
	}
	return nil
}

// checkBindHost accepts "" (all interfaces), an IP address or a host name.
func checkBindHost(s string) error {
	if s == "" {
		return nil
	}
	return checkHost(s)
}

// checkHost accepts an IP address (IPv6 without brackets) or a DNS host name.
func checkHost(s string) error {
	if _, err := netip.ParseAddr(s); err == nil {
		return nil
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		return fmt.Errorf("write the IPv6 address without brackets, got %s", quoteShort(s))
	}
	if h, p, err := net.SplitHostPort(s); err == nil && h != "" && p != "" {
		return fmt.Errorf("must be a host name or IP address without a port (set the port with api-port), got %s", quoteShort(s))
	}
	if !isHostname(s) {
		return fmt.Errorf("must be an IP address or a host name, got %s", quoteShort(s))
	}
	return nil
}

// isHostname reports whether s is a syntactically valid DNS name: labels of
// letters, digits, '-' and '_' (not at a label's edges for '-'), at most 63
// bytes each and 253 in all, with an optional trailing dot.
func isHostname(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// checkExternalAddress accepts "", a host or IP, or host:port.
func checkExternalAddress(s string) error {
	if s == "" {
		return nil
	}
	if _, err := netip.ParseAddr(s); err == nil {
		return nil
	}
	if !strings.Contains(s, ":") {
		if !isHostname(s) {
			return fmt.Errorf("must be host or host:port, got %s", quoteShort(s))
		}
		return nil
	}
	h, p, err := net.SplitHostPort(s)
	if err != nil || h == "" {
		return fmt.Errorf("must be host or host:port (IPv6 as [addr]:port), got %s", quoteShort(s))
	}
	if _, err := netip.ParseAddr(h); err != nil && !isHostname(h) {
		return fmt.Errorf("must be host or host:port, got %s: bad host %s", quoteShort(s), quoteShort(h))
	}
	if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("port must be between 1 and 65535, got %s", quoteShort(p))
	}
	return nil
}

// checkPath accepts an absolute path without NUL bytes or ".." elements; ""
// only when emptyMeans says what it means.
func checkPath(emptyMeans string) func(string) error {
	return func(s string) error {
		if s == "" {
			if emptyMeans != "" {
				return nil
			}
			return errors.New("must be set to an absolute path")
		}
		if strings.ContainsRune(s, 0) {
			return errors.New("must not contain NUL bytes")
		}
		if !filepath.IsAbs(s) {
			return fmt.Errorf("must be an absolute path, got %s", quoteShort(s))
		}
		for _, el := range strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == filepath.Separator }) {
			if el == ".." {
				return fmt.Errorf(`must not contain "..", got %s`, quoteShort(s))
			}
		}
		return nil
	}
}

// checkSandbox accepts "" (no sandbox) or an absolute path whose only
// placeholder is %u (the user name).
func checkSandbox(s string) error {
	if err := checkPath("no sandbox")(s); err != nil {
		return err
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		if i+1 < len(s) && s[i+1] == 'u' {
			i++
			continue
		}
		end := min(i+2, len(s))
		return fmt.Errorf("unknown placeholder %s in %s (only %%u, the user name, is supported)",
			quoteShort(s[i:end]), quoteShort(s))
	}
	return nil
}

// logLevels are the accepted log levels, least severe first.
var logLevels = []string{"debug", "info", "warn", "error"}

// checkLogLevel accepts one of logLevels.
var checkLogLevel = oneOf(logLevels)

// checkAccountName accepts a user or group name that survives flag and
// environment lists: not empty, no blanks, commas or control characters.
func checkAccountName(s string) error {
	if s == "" {
		return errors.New("names must not be empty")
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == ',' || r == 0xFFFD {
			return fmt.Errorf("%s is not a valid user or group name (no blanks, commas or control characters)", quoteShort(s))
		}
	}
	return nil
}

// checkAccountNames checks every name in l.
func checkAccountNames(l []string) error {
	for i, s := range l {
		if err := checkAccountName(s); err != nil {
			return &elemError{i, err}
		}
	}
	return nil
}

// noCheck accepts anything.
func noCheck[T any](T) error { return nil }
