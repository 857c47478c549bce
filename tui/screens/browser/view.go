package browser

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/jetstream-go/jetstream/tui/common"
	"github.com/jetstream-go/jetstream/tui/components/dialog"
)

// View implements common.Component.
func (m *Model) View() string {
	if m.Width <= 0 || m.Height <= 0 {
		return ""
	}
	left := m.panes[common.Left].view(m.Styles, m.Common, m.active == common.Left, m.duLine(common.Left))
	right := m.panes[common.Right].view(m.Styles, m.Common, m.active == common.Right, m.duLine(common.Right))
	v := lipgloss.JoinHorizontal(lipgloss.Top, left, right)
	if box := m.dialogView(); box != "" {
		return dialog.Overlay(v, box, m.Width, m.Height)
	}
	return v
}

func (m *Model) dialogView() string {
	switch {
	case m.confirm != nil:
		return m.confirm.View(m.Styles, m.Width)
	case m.choice != nil:
		return m.choice.View(m.Styles, m.Width)
	case m.prompt != nil:
		return m.prompt.View(m.Styles, m.Width)
	}
	return ""
}
