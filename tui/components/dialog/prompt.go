package dialog

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/jetstream-go/jetstream/tui/components/textfield"
	"github.com/jetstream-go/jetstream/tui/format"
	"github.com/jetstream-go/jetstream/tui/keys"
	"github.com/jetstream-go/jetstream/tui/styles"
)

// Prompt asks for one line of text.
type Prompt struct {
	Title    string
	Hint     string             // shown under the input
	Validate func(string) error // checked on enter; nil accepts anything
	input    textfield.Model
	err      string
}

// NewPrompt opens a prompt with an initial value; password masks the input.
func NewPrompt(title, value string, password bool) *Prompt {
	in := textfield.New(value)
	in.Password = password
	return &Prompt{Title: title, input: in}
}

// Value is the text typed so far.
func (p *Prompt) Value() string { return p.input.Value() }

// SetError shows an error under the input (e.g. from a failed attempt).
func (p *Prompt) SetError(msg string) { p.err = msg }

// Update handles a message; enter validates and accepts, esc cancels.
func (p *Prompt) Update(msg tea.Msg, km *keys.KeyMap) Result {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, km.Back):
			return Cancelled
		case k.Type == tea.KeyEnter:
			if p.Validate != nil {
				if err := p.Validate(p.input.Value()); err != nil {
					p.err = err.Error()
					return Pending
				}
			}
			return Accepted
		}
		p.err = ""
	}
	p.input = p.input.Update(msg)
	return Pending
}

// View draws the prompt box for a screen width.
func (p *Prompt) View(st *styles.Styles, screenWidth int) string {
	w := boxWidth(screenWidth)
	lines := []string{"> " + p.input.View(st, w-6)}
	if p.err != "" {
		lines = append(lines, st.Error.Render(format.Fit(format.Sanitize(p.err), w-4)))
	} else if p.Hint != "" {
		lines = append(lines, st.Dim.Render(format.Fit(p.Hint, w-4)))
	}
	return frame(st, w, p.Title, lines...)
}
