// Package sparkline draws a series of values as one line of block
// characters (▁▂▃▄▅▆▇█), newest on the right.
package sparkline

import (
	"math"
	"strings"
)

var levels = []rune("▁▂▃▄▅▆▇█")

// Render draws the last width values scaled to their maximum. Missing
// history on the left is blank; NaN, infinite and negative values count as
// zero. An all-zero series is a flat baseline.
func Render(values []float64, width int) string {
	if width <= 0 {
		return ""
	}
	if len(values) > width {
		values = values[len(values)-width:]
	}
	peak := 0.0
	for _, v := range values {
		if ok(v) && v > peak {
			peak = v
		}
	}
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", width-len(values)))
	for _, v := range values {
		i := 0
		if ok(v) && peak > 0 {
			i = int(math.Round(v / peak * float64(len(levels)-1)))
			i = min(max(i, 0), len(levels)-1)
		}
		b.WriteRune(levels[i])
	}
	return b.String()
}

func ok(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) && v > 0 }

// History is a bounded series of samples.
type History struct {
	values []float64
	limit  int
}

// NewHistory keeps at most limit samples.
func NewHistory(limit int) *History { return &History{limit: max(limit, 1)} }

// Add appends a sample, dropping the oldest beyond the limit.
func (h *History) Add(v float64) {
	h.values = append(h.values, v)
	if len(h.values) > h.limit {
		h.values = append(h.values[:0], h.values[len(h.values)-h.limit:]...)
	}
}

// Values returns the samples, oldest first.
func (h *History) Values() []float64 { return h.values }
