package config

import (
	"strconv"
	"strings"
)

// suggest returns ` (did you mean "x"?)` for the candidate closest to s, or
// "" when none is close. Spelling variants (api_port, apiPort, API-PORT)
// match exactly; otherwise the edit distance (with transpositions) must be
// 1, or 2 for names of 6 bytes or more, or 3 from 12; a prefix covering at
// least half of the longer name also matches (warning → warn).
func suggest(s string, candidates []string) string {
	if best := closest(s, candidates); best != "" {
		return " (did you mean " + strconv.Quote(best) + "?)"
	}
	return ""
}

// closest returns the candidate closest to s, or "".
func closest(s string, candidates []string) string {
	if len(s) > 256 {
		return ""
	}
	norm := normalizeKey(s)
	for _, c := range candidates {
		if normalizeKey(c) == norm {
			return c
		}
	}
	best, bestDist := "", -1
	for _, c := range candidates {
		d := editDistance(strings.ToLower(s), c)
		ok := d <= 1 || d <= 2 && len(c) >= 6 || d <= 3 && len(c) >= 12
		if ok && (bestDist < 0 || d < bestDist) {
			best, bestDist = c, d
		}
	}
	if best != "" {
		return best
	}
	for _, c := range candidates {
		short, long := norm, normalizeKey(c)
		if len(short) > len(long) {
			short, long = long, short
		}
		if len(short) >= 3 && 2*len(short) >= len(long) && strings.HasPrefix(long, short) {
			return c
		}
	}
	return ""
}

// normalizeKey folds case and drops '-' and '_'.
func normalizeKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r != '-' && r != '_' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// editDistance is the optimal-string-alignment distance between a and b in
// bytes: insertions, deletions, substitutions and adjacent transpositions.
func editDistance(a, b string) int {
	rows := make([][]int, len(a)+1)
	for i := range rows {
		rows[i] = make([]int, len(b)+1)
		rows[i][0] = i
	}
	for j := range rows[0] {
		rows[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d := min(rows[i-1][j]+1, rows[i][j-1]+1, rows[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d = min(d, rows[i-2][j-2]+1)
			}
			rows[i][j] = d
		}
	}
	return rows[len(a)][len(b)]
}
