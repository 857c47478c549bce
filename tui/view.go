package tui

import (
	"fmt"
	"strings"

	"github.com/jetstream-go/jetstream/tui/common"
	"github.com/jetstream-go/jetstream/tui/format"
)

// Minimum usable size; below it the TUI asks for a bigger terminal.
const (
	minWidth  = 60
	minHeight = 16
)

var tabs = []struct {
	screen common.Screen
	label  string
}{
	{common.ScreenLocations, "1 Locations"},
	{common.ScreenFiles, "2 Files"},
	{common.ScreenTransfers, "3 Transfers"},
	{common.ScreenEvents, "4 Events"},
	{common.ScreenInfo, "5 Info"},
}

// helpView is the help bar for the current screen.
func (m *Model) helpView() string {
	m.help.Width = m.width
	lines := strings.Split(m.help.View(m.current().Help()), "\n")
	for i, l := range lines {
		lines[i] = format.Fit(l, m.width) // bubbles' help can overflow by an item
	}
	return strings.Join(lines, "\n")
}

// layout gives the current screen the space between the header and the
// status and help lines.
func (m *Model) layout() {
	h := m.height - 2 - strings.Count(m.helpView(), "\n") - 1
	h = max(h, 0)
	for _, c := range []common.Component{m.locations, m.browser, m.transfers, m.events, m.info} {
		c.SetSize(m.width, h)
	}
}

// View implements tea.Model.
func (m *Model) View() string {
	if m.quitting || m.width <= 0 || m.height <= 0 {
		return ""
	}
	if m.width < minWidth || m.height < minHeight {
		msg := fmt.Sprintf("JetStream needs at least %d×%d cells (this terminal: %d×%d).", minWidth, minHeight, m.width, m.height)
		return format.Fit(msg, m.width) + "\n" + format.Fit("Resize it, or press ctrl+c to quit.", m.width)
	}
	parts := []string{m.header(), m.current().View(), m.statusView(), m.helpView()}
	return strings.Join(parts, "\n")
}

func (m *Model) header() string {
	st := m.Styles
	var b strings.Builder
	b.WriteString(st.Brand.Render("JetStream"))
	w := len("JetStream")
	b.WriteString(" ")
	w++
	for _, t := range tabs {
		if t.screen == m.screen {
			b.WriteString(st.ActiveTab.Render("[" + t.label + "]"))
		} else {
			b.WriteString(st.Tab.Render(" " + t.label + " "))
		}
		w += len(t.label) + 2
	}
	right := m.panesLabel()
	room := m.width - w - 2
	if room > 8 {
		right = format.FitLeft(right, room)
		b.WriteString(strings.Repeat(" ", max(room-format.Width(right), 0)+2))
		b.WriteString(st.Host.Render(right))
	}
	return format.PadRight(b.String(), m.width)
}

func (m *Model) panesLabel() string {
	l := m.browser.SourceOf(common.Left).Label()
	r := m.browser.SourceOf(common.Right).Label()
	return format.Sanitize(l + " | " + r)
}

func (m *Model) statusView() string {
	st := m.Styles
	text := format.Sanitize(m.status.Text)
	prefix := ""
	style := st.StatusInfo
	switch m.status.Kind {
	case common.StatusOK:
		style, prefix = st.StatusOK, "✓ "
	case common.StatusWarn:
		style, prefix = st.Warning, "! "
	case common.StatusError:
		style, prefix = st.StatusError, "✗ "
	}
	if text == "" {
		return strings.Repeat(" ", m.width)
	}
	return style.Render(format.PadRight(format.Fit(prefix+text, m.width), m.width))
}
