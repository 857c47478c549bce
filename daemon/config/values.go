package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// describe names the TOML type of a decoded value, with the value when it is
// a scalar: `string "abc"`, `integer 5`, `array`.
func describe(v any) string {
	switch v := v.(type) {
	case string:
		return "string " + quoteShort(v)
	case int64:
		return "integer " + strconv.FormatInt(v, 10)
	case float64:
		return "float " + strconv.FormatFloat(v, 'g', -1, 64)
	case bool:
		return "boolean " + strconv.FormatBool(v)
	case []any:
		return "array"
	case map[string]any:
		return "table"
	case time.Time:
		return "date-time"
	default:
		return "date or time"
	}
}

// quoteShort quotes s for a message, cut to a readable length.
func quoteShort(s string) string {
	const max = 64
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return strconv.Quote(s[:cut]) + "..."
	}
	return strconv.Quote(s)
}

// tomlBool accepts a TOML boolean.
func tomlBool(v any) (bool, error) {
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("expected true or false, got %s", describe(v))
	}
	return b, nil
}

// tomlInt accepts a TOML integer that fits an int.
func tomlInt(v any) (int, error) {
	n, ok := v.(int64)
	if !ok {
		return 0, fmt.Errorf("expected an integer, got %s", describe(v))
	}
	if int64(int(n)) != n {
		return 0, fmt.Errorf("integer %d is out of range", n)
	}
	return int(n), nil
}

// tomlString accepts a TOML string.
func tomlString(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("expected a string, got %s", describe(v))
	}
	return s, nil
}

// tomlDuration accepts a Go duration string such as "30s" or "1h30m".
func tomlDuration(v any) (time.Duration, error) {
	s, ok := v.(string)
	if !ok {
		return 0, fmt.Errorf(`expected a duration string such as "30s" or "10m", got %s`, describe(v))
	}
	return parseDuration(s)
}

// tomlRate accepts a number of kbit/s or a rate string (see ParseRate), and
// returns kbit/s.
func tomlRate(v any) (float64, error) {
	switch v := v.(type) {
	case int64:
		return float64(v), nil
	case float64:
		return v, nil
	case string:
		return parseRateKbps(v)
	}
	return 0, fmt.Errorf(`expected a number of kbit/s or a rate such as "500M", got %s`, describe(v))
}

// tomlStringList accepts an array of strings.
func tomlStringList(v any) ([]string, error) {
	a, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("expected an array of strings, got %s", describe(v))
	}
	out := make([]string, len(a))
	for i, e := range a {
		s, ok := e.(string)
		if !ok {
			return nil, &elemError{i, fmt.Errorf("expected a string, got %s", describe(e))}
		}
		out[i] = s
	}
	return out, nil
}

// parseBool accepts true/false, 1/0, yes/no and on/off in any case.
func parseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "yes", "on", "t":
		return true, nil
	case "false", "0", "no", "off", "f":
		return false, nil
	}
	return false, fmt.Errorf("expected true or false, got %s", quoteShort(s))
}

// parseInt accepts a decimal integer.
func parseInt(s string) (int, error) {
	t := strings.TrimSpace(s)
	n, err := strconv.Atoi(t)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, fmt.Errorf("integer %s is out of range", quoteShort(t))
		}
		return 0, fmt.Errorf("expected an integer, got %s", quoteShort(s))
	}
	return n, nil
}

// parseDuration accepts a Go duration string; "0" is accepted as zero.
func parseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf(`expected a duration such as "30s" or "10m", got %s`, quoteShort(s))
	}
	return d, nil
}

// parseRateKbps parses a rate string (see ParseRate) into kbit/s.
func parseRateKbps(s string) (float64, error) {
	bps, err := ParseRate(s)
	if err != nil {
		return 0, err
	}
	return bps / 1000, nil
}

// parseList splits a comma-separated list, trimming blanks and dropping
// empty items; an empty string is an empty list.
func parseList(s string) ([]string, error) {
	out := []string{}
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out, nil
}

// formatRate writes kbit/s as a TOML number.
func formatRate(kbps float64) string {
	if math.Trunc(kbps) == kbps && math.Abs(kbps) < 1e15 {
		return strconv.FormatFloat(kbps, 'f', -1, 64)
	}
	return strconv.FormatFloat(kbps, 'g', -1, 64)
}

// formatList writes a TOML array of strings.
func formatList(l []string) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, s := range l {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quoteTOML(s))
	}
	b.WriteByte(']')
	return b.String()
}

// formatDuration writes d as time.Duration.String does, without zero minutes
// and seconds: "10m", "1h30m", "0s".
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
