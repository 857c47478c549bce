package format

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// Sanitize makes untrusted text (file names, server messages) safe to put
// on the terminal: control characters, escape sequences and invalid UTF-8
// become "?", and newlines become spaces, so nothing the server says can
// move the cursor, change colours or break the layout.
func Sanitize(s string) string {
	clean := true
	for _, r := range s {
		if r == unicode.ReplacementChar || unicode.IsControl(r) || isBidiControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case r == unicode.ReplacementChar || unicode.IsControl(r) || isBidiControl(r):
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isBidiControl reports the bidirectional formatting characters that can
// make displayed text differ from its order (Trojan Source).
func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0x200E || r == 0x200F
}

// Width is the display width of s in terminal cells.
func Width(s string) int { return ansi.StringWidth(s) }

// Fit truncates s to at most w cells, ending with "…" when cut.
func Fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// FitLeft truncates s from the left to at most w cells, starting with "…"
// when cut (for paths, whose end matters most).
func FitLeft(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw <= w {
		return s
	}
	if w == 1 {
		return "…"
	}
	return ansi.TruncateLeft(s, sw-w+1, "…")
}

// PadRight fits s into exactly w cells, padding with spaces on the right.
func PadRight(s string, w int) string {
	s = Fit(s, w)
	if n := w - ansi.StringWidth(s); n > 0 {
		s += strings.Repeat(" ", n)
	}
	return s
}

// PadLeft fits s into exactly w cells, padding with spaces on the left.
func PadLeft(s string, w int) string {
	s = Fit(s, w)
	if n := w - ansi.StringWidth(s); n > 0 {
		s = strings.Repeat(" ", n) + s
	}
	return s
}
