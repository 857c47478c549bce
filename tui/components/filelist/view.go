package filelist

import (
	"strings"
	"time"

	"github.com/jetstream-go/jetstream/tui/common"
	"github.com/jetstream-go/jetstream/tui/format"
	"github.com/jetstream-go/jetstream/tui/styles"
)

// Column widths.
const (
	sizeWidth      = 9  // "1023 KiB" plus a space
	longTimeWidth  = 16 // "2006-01-02 15:04"
	shortTimeWidth = 11 // "01-02 15:04"
	minNameWidth   = 12
)

// layout decides the columns that fit width: the name takes what is left.
func layout(width int) (name, size, mtime int, short bool) {
	const gutter = 2 // cursor glyph + mark glyph
	rest := width - gutter
	switch {
	case rest >= minNameWidth+sizeWidth+1+longTimeWidth+12:
		return rest - sizeWidth - 1 - longTimeWidth, sizeWidth, longTimeWidth, false
	case rest >= minNameWidth+sizeWidth+1+shortTimeWidth:
		return rest - sizeWidth - 1 - shortTimeWidth, sizeWidth, shortTimeWidth, true
	case rest >= minNameWidth+sizeWidth:
		return rest - sizeWidth, sizeWidth, 0, true
	}
	return max(rest, 0), 0, 0, true
}

// View renders a header line and then exactly the model's height in rows,
// each width cells wide. focused selects the cursor style.
func (m *Model) View(st *styles.Styles, width int, focused bool, tz *time.Location) string {
	nameW, sizeW, timeW, short := layout(width)
	lines := make([]string, 0, m.height+1)
	hdr := "  " + format.PadRight("Name", nameW)
	if sizeW > 0 {
		hdr += format.PadLeft("Size", sizeW)
	}
	if timeW > 0 {
		hdr += " " + format.PadRight("Modified", timeW)
	}
	lines = append(lines, st.ColHeader.Render(format.PadRight(hdr, width)))

	win, first := m.Window()
	for i, e := range win {
		lines = append(lines, m.row(st, e, first+i == m.cursor, focused, nameW, sizeW, timeW, short, tz, width))
	}
	if len(m.visible) == 0 && m.height > 0 {
		msg := "(empty)"
		if len(m.all) > 0 {
			msg = "(nothing matches)"
		}
		lines = append(lines, st.Dim.Render(format.PadRight("  "+msg, width)))
	}
	for len(lines) < m.height+1 {
		lines = append(lines, strings.Repeat(" ", max(width, 0)))
	}
	return strings.Join(lines[:m.height+1], "\n")
}

func (m *Model) row(st *styles.Styles, e common.Entry, isCursor, focused bool,
	nameW, sizeW, timeW int, short bool, tz *time.Location, width int) string {
	cur, mark := " ", " "
	if isCursor {
		cur = "›"
		if !focused {
			cur = "·"
		}
	}
	if m.marked[e.Name] {
		mark = "*"
	}
	name := format.Sanitize(e.Name)
	switch {
	case e.Root:
		name += ":"
	case e.Dir:
		name += "/"
	case e.Symlink:
		name += "@"
	}
	name = format.PadRight(name, nameW)
	size := ""
	if sizeW > 0 {
		size = "-"
		if !e.Dir && !e.Root {
			size = format.Bytes(e.Size)
		}
		size = format.PadLeft(size, sizeW)
	}
	mtime := ""
	if timeW > 0 {
		mtime = " " + format.PadRight(format.ModTime(e.ModTime, tz, short), timeW)
	}
	if isCursor {
		style := st.CursorDim
		if focused {
			style = st.Cursor
		}
		return style.Render(format.PadRight(cur+mark+name+size+mtime, width))
	}
	nameStyle := st.File
	switch {
	case m.marked[e.Name]:
		nameStyle = st.Marked
	case e.Dir || e.Root:
		nameStyle = st.Dir
	case e.Symlink:
		nameStyle = st.Link
	}
	return format.PadRight(cur+mark+nameStyle.Render(name)+st.Dim.Render(size+mtime), width)
}
