package api

import (
	"sort"
	"strings"
)

// Suggest returns up to three method names close to name (by edit distance
// or substring), best first.
func Suggest(name string) []string {
	type cand struct {
		name string
		d    int
	}
	var cs []cand
	low := strings.ToLower(name)
	for _, m := range Methods() {
		for _, n := range []string{m.Name, m.Bare()} {
			ln := strings.ToLower(n)
			d := editDistance(low, ln)
			if d <= max(2, len(name)/3) || (len(low) >= 3 && strings.Contains(ln, low)) {
				cs = append(cs, cand{m.Name, d})
				break
			}
		}
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].d < cs[j].d || cs[i].d == cs[j].d && cs[i].name < cs[j].name })
	var out []string
	for i := 0; i < len(cs) && i < 3; i++ {
		out = append(out, cs[i].name)
	}
	return out
}

// SuggestText is "; did you mean a, b?" or "" when nothing is close.
func SuggestText(name string) string {
	s := Suggest(name)
	if len(s) == 0 {
		return ""
	}
	return "; did you mean " + strings.Join(s, ", ") + "?"
}

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
