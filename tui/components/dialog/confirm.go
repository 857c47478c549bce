package dialog

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/jetstream-go/jetstream/tui/keys"
	"github.com/jetstream-go/jetstream/tui/styles"
)

// Confirm asks a yes/no question. y or enter accepts; n or esc cancels.
type Confirm struct {
	Title string
	Lines []string // body text, already sanitized
}

// Update handles a key.
func (c *Confirm) Update(msg tea.Msg, km *keys.KeyMap) Result {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return Pending
	}
	switch {
	case key.Matches(k, km.Yes), k.Type == tea.KeyEnter:
		return Accepted
	case key.Matches(k, km.No), key.Matches(k, km.Back):
		return Cancelled
	}
	return Pending
}

// View draws the box.
func (c *Confirm) View(st *styles.Styles, screenWidth int) string {
	lines := append(append([]string{}, c.Lines...), "", st.HelpKey.Render("y")+" yes   "+st.HelpKey.Render("n")+" no")
	return frame(st, boxWidth(screenWidth), c.Title, lines...)
}
