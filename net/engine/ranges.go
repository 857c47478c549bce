package engine

import (
	"sort"

	"github.com/jetstream-go/jetstream/net/wire"
)

// rangeSet is a set of uint64 block indices kept as sorted, disjoint, non-adjacent
// half-open ranges.
type rangeSet struct {
	r []wire.Range
}

// add inserts [s, e) and calls fn (if not nil) for every sub-range that was not in
// the set before. It returns the number of indices added.
func (rs *rangeSet) add(s, e uint64, fn func(s, e uint64)) uint64 {
	if s >= e {
		return 0
	}
	// first range whose End >= s (could merge)
	i := sort.Search(len(rs.r), func(k int) bool { return rs.r[k].End >= s })
	j := i
	var added uint64
	cur := s
	ns, ne := s, e
	for j < len(rs.r) && rs.r[j].Start <= e {
		r := rs.r[j]
		if r.Start > cur {
			added += r.Start - cur
			if fn != nil {
				fn(cur, r.Start)
			}
		}
		if r.End > cur {
			cur = r.End
		}
		ns = min(ns, r.Start)
		ne = max(ne, r.End)
		j++
	}
	if cur < e {
		added += e - cur
		if fn != nil {
			fn(cur, e)
		}
	}
	if added == 0 && j-i == 1 {
		return 0
	}
	// replace rs.r[i:j] with one range
	if j-i == 1 {
		rs.r[i] = wire.Range{Start: ns, End: ne}
		return added
	}
	if j == i {
		rs.r = append(rs.r, wire.Range{})
		copy(rs.r[i+1:], rs.r[i:])
		rs.r[i] = wire.Range{Start: ns, End: ne}
		return added
	}
	rs.r[i] = wire.Range{Start: ns, End: ne}
	rs.r = append(rs.r[:i+1], rs.r[j:]...)
	return added
}

// remove deletes [s, e) from the set.
func (rs *rangeSet) remove(s, e uint64) {
	if s >= e {
		return
	}
	out := rs.r[:0:0]
	for _, r := range rs.r {
		if r.End <= s || r.Start >= e {
			out = append(out, r)
			continue
		}
		if r.Start < s {
			out = append(out, wire.Range{Start: r.Start, End: s})
		}
		if r.End > e {
			out = append(out, wire.Range{Start: e, End: r.End})
		}
	}
	rs.r = out
}

// contains reports whether x is in the set.
func (rs *rangeSet) contains(x uint64) bool {
	i := sort.Search(len(rs.r), func(k int) bool { return rs.r[k].End > x })
	return i < len(rs.r) && rs.r[i].Start <= x
}

// cum returns the smallest index not in the set that is >= base... i.e. the end of
// the range starting at or before base, or base.
func (rs *rangeSet) cumFrom(base uint64) uint64 {
	if len(rs.r) > 0 && rs.r[0].Start <= base && rs.r[0].End > base {
		return rs.r[0].End
	}
	return base
}

// count returns the number of indices in [s, e) that are in the set.
func (rs *rangeSet) count(s, e uint64) uint64 {
	var n uint64
	i := sort.Search(len(rs.r), func(k int) bool { return rs.r[k].End > s })
	for ; i < len(rs.r) && rs.r[i].Start < e; i++ {
		n += min(e, rs.r[i].End) - max(s, rs.r[i].Start)
	}
	return n
}

// within returns the ranges intersecting [s, e), clipped and shifted by -s.
func (rs *rangeSet) within(s, e uint64) []wire.Range {
	var out []wire.Range
	i := sort.Search(len(rs.r), func(k int) bool { return rs.r[k].End > s })
	for ; i < len(rs.r) && rs.r[i].Start < e; i++ {
		out = append(out, wire.Range{Start: max(s, rs.r[i].Start) - s, End: min(e, rs.r[i].End) - s})
	}
	return out
}

func (rs *rangeSet) len() int { return len(rs.r) }
