// Package textfield is a one-line text editor for prompts and forms. It is
// deliberately small (no clipboard, no blinking cursor) so that it needs no
// extra dependencies and renders deterministically.
package textfield

import (
	"strings"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/jetstream-go/jetstream/tui/format"
	"github.com/jetstream-go/jetstream/tui/styles"
)

// MaxLen bounds the text in runes, so a runaway paste cannot grow it.
const MaxLen = 4096

// Model is the editor state. The zero value is an empty, unfocused field.
type Model struct {
	value    []rune
	pos      int  // cursor position in runes
	Password bool // show a mask instead of the text
	Focused  bool
}

// New returns a focused field holding value with the cursor at its end.
func New(value string) Model {
	m := Model{Focused: true}
	m.SetValue(value)
	return m
}

// SetValue replaces the text and puts the cursor at its end.
func (m *Model) SetValue(s string) {
	m.value = nil
	m.insert([]rune(s))
}

// Value is the text.
func (m Model) Value() string { return string(m.value) }

func (m *Model) insert(rs []rune) {
	clean := make([]rune, 0, len(rs))
	for _, r := range rs {
		if r == '\n' || r == '\r' || r == '\t' {
			r = ' '
		}
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			continue
		}
		clean = append(clean, r)
	}
	if room := MaxLen - len(m.value); len(clean) > room {
		clean = clean[:max(room, 0)]
	}
	m.pos = min(max(m.pos, 0), len(m.value))
	m.value = append(m.value[:m.pos], append(clean, m.value[m.pos:]...)...)
	m.pos += len(clean)
}

// Update edits on key messages; other messages are ignored.
func (m Model) Update(msg tea.Msg) Model {
	k, ok := msg.(tea.KeyMsg)
	if !ok || !m.Focused {
		return m
	}
	switch k.Type {
	case tea.KeyRunes, tea.KeySpace:
		if k.Type == tea.KeySpace {
			m.insert([]rune{' '})
		} else {
			m.insert(k.Runes)
		}
	case tea.KeyBackspace:
		if m.pos > 0 {
			m.value = append(m.value[:m.pos-1], m.value[m.pos:]...)
			m.pos--
		}
	case tea.KeyDelete, tea.KeyCtrlD:
		if m.pos < len(m.value) {
			m.value = append(m.value[:m.pos], m.value[m.pos+1:]...)
		}
	case tea.KeyLeft, tea.KeyCtrlB:
		m.pos = max(m.pos-1, 0)
	case tea.KeyRight, tea.KeyCtrlF:
		m.pos = min(m.pos+1, len(m.value))
	case tea.KeyHome, tea.KeyCtrlA:
		m.pos = 0
	case tea.KeyEnd, tea.KeyCtrlE:
		m.pos = len(m.value)
	case tea.KeyCtrlU:
		m.value = append(m.value[:0:0], m.value[m.pos:]...)
		m.pos = 0
	case tea.KeyCtrlK:
		m.value = m.value[:m.pos]
	case tea.KeyCtrlW:
		i := m.pos
		for i > 0 && m.value[i-1] == ' ' {
			i--
		}
		for i > 0 && m.value[i-1] != ' ' {
			i--
		}
		m.value = append(m.value[:i], m.value[m.pos:]...)
		m.pos = i
	}
	return m
}

// View draws the text in width cells. A focused field shows its cursor as
// a cell in the cursor style, or "_" past the end of the text, so that the
// cursor stays visible without colours.
func (m Model) View(st *styles.Styles, width int) string {
	if width <= 0 {
		return ""
	}
	text := m.value
	if m.Password {
		text = []rune(strings.Repeat("•", len(m.value)))
	}
	if !m.Focused {
		return format.PadRight(format.Sanitize(string(text)), width)
	}
	// Scroll so that the cursor stays visible.
	start := 0
	if m.pos > width-1 {
		start = m.pos - (width - 1)
	}
	before := format.Sanitize(string(text[start:m.pos]))
	cur, after := "_", ""
	if m.pos < len(text) {
		cur = format.Sanitize(string(text[m.pos]))
		after = format.Sanitize(string(text[m.pos+1:]))
	}
	return format.PadRight(before+st.Cursor.Render(cur)+after, width)
}
