package dialog

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/jetstream-go/jetstream/tui/keys"
	"github.com/jetstream-go/jetstream/tui/styles"
)

// Option is one answer of a Choice, picked by its key.
type Option struct {
	Key   string // a single key as tea.KeyMsg.String() gives it
	Label string
}

// Choice offers lettered options; esc cancels.
type Choice struct {
	Title   string
	Lines   []string // body text, already sanitized
	Options []Option
	chosen  string
}

// Chosen is the key of the accepted option.
func (c *Choice) Chosen() string { return c.chosen }

// Update handles a key.
func (c *Choice) Update(msg tea.Msg, km *keys.KeyMap) Result {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return Pending
	}
	if key.Matches(k, km.Back) {
		return Cancelled
	}
	for _, o := range c.Options {
		if k.String() == o.Key {
			c.chosen = o.Key
			return Accepted
		}
	}
	return Pending
}

// View draws the box with the options on as few lines as fit.
func (c *Choice) View(st *styles.Styles, screenWidth int) string {
	w := boxWidth(screenWidth)
	lines := append(append([]string{}, c.Lines...), "")
	var row []string
	width := 0
	for _, o := range c.Options {
		item := st.HelpKey.Render(o.Key) + " " + o.Label
		iw := len([]rune(o.Key)) + 1 + len([]rune(o.Label)) + 3
		if width+iw > w-4 && len(row) > 0 {
			lines = append(lines, strings.Join(row, "   "))
			row, width = nil, 0
		}
		row = append(row, item)
		width += iw
	}
	if len(row) > 0 {
		lines = append(lines, strings.Join(row, "   "))
	}
	return frame(st, w, c.Title, lines...)
}
