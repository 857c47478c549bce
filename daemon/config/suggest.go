package config

import (
	"strconv"
	"strings"
)

// suggest returns ` (did you mean "x"?)` for the candidate closest to s, or
// "" when none is close. Spelling variants (api_port, apiPort, API-PORT)
// match exactly; otherwise the edit distance must be at most 2, or a third of
// the length for long names; a prefix of at least 3 letters also matches
// (warning → warn, api → api-port).
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
	for _, c := range candidates {
		if len(norm) >= 3 && (strings.HasPrefix(norm, normalizeKey(c)) || strings.HasPrefix(normalizeKey(c), norm)) {
			return c
		}
	}
	best, bestDist := "", -1
	for _, c := range candidates {
		d := editDistance(strings.ToLower(s), c)
		limit := max(2, len(c)/3)
		if d <= limit && (bestDist < 0 || d < bestDist) {
			best, bestDist = c, d
		}
	}
	return best
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

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
