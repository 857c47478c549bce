package dialog

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Overlay draws box centred over bg (a w×h screen area), keeping the
// background visible around it. Both may hold ANSI styles.
func Overlay(bg, box string, w, h int) string {
	lines := strings.Split(bg, "\n")
	for len(lines) < h {
		lines = append(lines, "")
	}
	boxLines := strings.Split(box, "\n")
	bw := 0
	for _, l := range boxLines {
		bw = max(bw, ansi.StringWidth(l))
	}
	x := max((w-bw)/2, 0)
	y := max((h-len(boxLines))/2, 0)
	for i, bl := range boxLines {
		row := y + i
		if row >= len(lines) {
			break
		}
		base := lines[row]
		if pad := x + bw - ansi.StringWidth(base); pad > 0 {
			base += strings.Repeat(" ", pad)
		}
		left := ansi.Truncate(base, x, "")
		right := ansi.TruncateLeft(base, x+bw, "")
		if pad := bw - ansi.StringWidth(bl); pad > 0 {
			bl += strings.Repeat(" ", pad)
		}
		if strings.Contains(base, "\x1b") {
			bl = "\x1b[0m" + bl + "\x1b[0m" // keep the background's styles out of the box
		}
		lines[row] = left + bl + right
	}
	return strings.Join(lines, "\n")
}
