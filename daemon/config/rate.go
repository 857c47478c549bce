package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// MaxRate is the largest rate ParseRate accepts, in bit/s (1000 Tbit/s).
const MaxRate = 1e15

// errRateSyntax explains the rate syntax.
var errRateSyntax = errors.New("want kbit/s (e.g. 100000) or a number with a K, M, G or T suffix (e.g. 500M)")

// ParseRate parses a transfer rate the way ascp's -l does and returns bit/s.
//
// A plain number is kbit/s ("100000" = 100 Mbit/s). A K, M, G or T suffix
// (either case) multiplies by 1e3, 1e6, 1e9 or 1e12 bit/s ("500M" = 500 Mbit/s,
// "1.5G"). The suffix may be followed by "b", "bps", "b/s", "bit/s" or
// "bits/s" ("500Mbps"); a unit without a suffix means bit/s ("64000bps").
// Blanks around the number and before the suffix are allowed. Byte units
// ("MB"), signs, exponents, NaN and infinities are refused, as are rates above
// [MaxRate]. Zero is valid; what it means is up to the caller.
func ParseRate(s string) (float64, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, fmt.Errorf("invalid rate %s: empty; %w", quoteShort(s), errRateSyntax)
	}
	if t[0] == '-' {
		return 0, fmt.Errorf("invalid rate %s: must not be negative", quoteShort(s))
	}
	i, digits, dot := 0, 0, false
	for ; i < len(t); i++ {
		c := t[i]
		if c >= '0' && c <= '9' {
			digits++
		} else if c == '.' && !dot {
			dot = true
		} else {
			break
		}
	}
	if digits == 0 {
		return 0, fmt.Errorf("invalid rate %s: %w", quoteShort(s), errRateSyntax)
	}
	n, err := strconv.ParseFloat(t[:i], 64)
	if err != nil {
		return 0, fmt.Errorf("invalid rate %s: above the maximum of 1000T", quoteShort(s))
	}
	mult, err := rateMultiplier(strings.TrimLeft(t[i:], " \t"))
	if err != nil {
		return 0, fmt.Errorf("invalid rate %s: %w", quoteShort(s), err)
	}
	bps := n * mult
	if bps > MaxRate {
		return 0, fmt.Errorf("invalid rate %s: above the maximum of 1000T", quoteShort(s))
	}
	return bps, nil
}

// rateMultiplier maps the text after the number to bit/s per unit.
func rateMultiplier(u string) (float64, error) {
	if u == "" {
		return 1e3, nil
	}
	mult := 1.0
	switch u[0] {
	case 'k', 'K':
		mult = 1e3
	case 'm', 'M':
		mult = 1e6
	case 'g', 'G':
		mult = 1e9
	case 't', 'T':
		mult = 1e12
	}
	unit := u
	if mult != 1 {
		unit = u[1:]
	}
	switch unit {
	case "", "b", "bps", "b/s", "bit/s", "bits/s":
		return mult, nil
	}
	if strings.HasPrefix(unit, "B") {
		return 0, errors.New("bytes are not accepted, write bits (e.g. 4G for 500 MB/s)")
	}
	return 0, fmt.Errorf("unknown unit %s; %w", quoteShort(u), errRateSyntax)
}
