// Package bar draws progress bars that read well without colour: the
// filled part is "█", the rest "░".
package bar

import (
	"math"
	"strings"

	"github.com/jetstream-go/jetstream/tui/styles"
)

// Render draws frac (clamped to [0, 1]) in width cells.
func Render(st *styles.Styles, frac float64, width int) string {
	if width <= 0 {
		return ""
	}
	if math.IsNaN(frac) || frac < 0 {
		frac = 0
	}
	if frac > 1 {
		frac = 1
	}
	full := int(math.Floor(frac * float64(width)))
	return st.BarFull.Render(strings.Repeat("█", full)) + st.BarEmpty.Render(strings.Repeat("░", width-full))
}
