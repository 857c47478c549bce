// Package dialog has the modal widgets screens open: a text prompt
// (optionally masked, for passwords), a yes/no confirmation and a choice of
// lettered options. Each returns a Result from Update; the owning screen
// reads the value and closes it.
package dialog

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/jetstream-go/jetstream/tui/format"
	"github.com/jetstream-go/jetstream/tui/styles"
)

// Result is the state of a dialog after a key.
type Result int

// Results.
const (
	Pending   Result = iota // still open
	Accepted                // confirmed / submitted / chosen
	Cancelled               // dismissed with esc (or "no")
)

// boxWidth is the dialog width for a screen width.
func boxWidth(screen int) int {
	return max(min(screen-4, 64), 20)
}

// frame draws a titled box; the lines are sanitized by the callers.
func frame(st *styles.Styles, width int, title string, lines ...string) string {
	inner := width - 4 // border + padding
	out := make([]string, 0, len(lines)+2)
	out = append(out, st.DialogTitle.Render(format.Fit(title, inner)), "")
	for _, l := range lines {
		out = append(out, format.Fit(l, inner))
	}
	return st.Dialog.Width(width - 2).Render(strings.Join(out, "\n"))
}

// Place centres a dialog box in a w×h area.
func Place(w, h int, box string) string {
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, box)
}
