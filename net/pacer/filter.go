package pacer

import "time"

// winFilter is a windowed running minimum or maximum in the style of
// Kathleen Nichols' algorithm (Linux lib/win_minmax.c, used by BBR): it keeps
// the best, second-best and third-best samples from successive sub-windows,
// so an update is O(1) and needs no per-sample history.
type winFilter struct {
	max bool // true: running maximum; false: running minimum
	ok  bool // at least one sample seen
	s   [3]winSample
}

type winSample struct {
	t Time
	v float64
}

// better reports whether a is at least as good as b for this filter.
func (f *winFilter) better(a, b float64) bool {
	if f.max {
		return a >= b
	}
	return a <= b
}

// get returns the filtered value, or 0 when no sample has been seen.
func (f *winFilter) get() float64 {
	if !f.ok {
		return 0
	}
	return f.s[0].v
}

// reset forgets every sample.
func (f *winFilter) reset() { f.ok = false }

// update adds the measurement v taken at t and returns the filtered value
// over the window ending at t.
func (f *winFilter) update(t Time, v float64, win time.Duration) float64 {
	val := winSample{t: t, v: v}
	if !f.ok || f.better(v, f.s[0].v) || t-f.s[2].t > win {
		f.ok = true
		f.s = [3]winSample{val, val, val}
		return v
	}
	if f.better(v, f.s[1].v) {
		f.s[1], f.s[2] = val, val
	} else if f.better(v, f.s[2].v) {
		f.s[2] = val
	}
	dt := t - f.s[0].t
	switch {
	case dt > win:
		// The best sample left the window: promote the others.
		f.s[0], f.s[1], f.s[2] = f.s[1], f.s[2], val
		if t-f.s[0].t > win {
			f.s[0], f.s[1], f.s[2] = f.s[1], f.s[2], val
		}
	case f.s[1].t == f.s[0].t && dt > win/4:
		// A quarter of the window passed without a second choice: take one.
		f.s[1], f.s[2] = val, val
	case f.s[2].t == f.s[1].t && dt > win/2:
		// Half the window passed without a third choice: take one.
		f.s[2] = val
	}
	return f.s[0].v
}
