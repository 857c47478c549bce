package textfield

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/jetstream-go/jetstream/tui/styles"
)

func keys(m Model, ks ...tea.KeyMsg) Model {
	for _, k := range ks {
		m = m.Update(k)
	}
	return m
}

func runes(s string) tea.KeyMsg  { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }
func k(t tea.KeyType) tea.KeyMsg { return tea.KeyMsg{Type: t} }

func TestEditing(t *testing.T) {
	tests := []struct {
		name string
		init string
		keys []tea.KeyMsg
		want string
	}{
		{"type", "", []tea.KeyMsg{runes("ab"), k(tea.KeySpace), runes("c")}, "ab c"},
		{"backspace", "abc", []tea.KeyMsg{k(tea.KeyBackspace)}, "ab"},
		{"backspace at start", "abc", []tea.KeyMsg{k(tea.KeyHome), k(tea.KeyBackspace)}, "abc"},
		{"insert in the middle", "ac", []tea.KeyMsg{k(tea.KeyLeft), runes("b")}, "abc"},
		{"delete", "abc", []tea.KeyMsg{k(tea.KeyHome), k(tea.KeyDelete)}, "bc"},
		{"delete at end", "abc", []tea.KeyMsg{k(tea.KeyDelete)}, "abc"},
		{"ctrl+u", "abc", []tea.KeyMsg{k(tea.KeyLeft), k(tea.KeyCtrlU)}, "c"},
		{"ctrl+k", "abc", []tea.KeyMsg{k(tea.KeyHome), k(tea.KeyRight), k(tea.KeyCtrlK)}, "a"},
		{"ctrl+w", "one two  ", []tea.KeyMsg{k(tea.KeyCtrlW)}, "one "},
		{"end", "ab", []tea.KeyMsg{k(tea.KeyHome), k(tea.KeyEnd), runes("c")}, "abc"},
		{"controls dropped", "", []tea.KeyMsg{runes("a\x1b[2Jb\nc")}, "a[2Jb c"},
		{"right past end", "a", []tea.KeyMsg{k(tea.KeyRight), k(tea.KeyRight), runes("b")}, "ab"},
	}
	for _, tt := range tests {
		if got := keys(New(tt.init), tt.keys...).Value(); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	m := New("x")
	m.Focused = false
	if got := keys(m, runes("y")).Value(); got != "x" {
		t.Errorf("an unfocused field took input: %q", got)
	}
}

func TestMaxLen(t *testing.T) {
	m := New(strings.Repeat("a", MaxLen-1))
	m = keys(m, runes("bcd"))
	if len(m.Value()) != MaxLen || !strings.HasSuffix(m.Value(), "ab") {
		t.Errorf("length %d, suffix %q", len(m.Value()), m.Value()[MaxLen-3:])
	}
}

func TestView(t *testing.T) {
	st := styles.NoColorStyles()
	if got := New("abc").View(st, 6); got != "abc_  " {
		t.Errorf("View = %q", got)
	}
	p := New("secret")
	p.Password = true
	if got := p.View(st, 8); got != "••••••_ " || strings.Contains(got, "secret") {
		t.Errorf("password View = %q", got)
	}
	long := New(strings.Repeat("x", 50) + "END")
	if got := long.View(st, 10); !strings.HasSuffix(strings.TrimRight(got, " "), "END_") {
		t.Errorf("long View does not follow the cursor: %q", got)
	}
	if got := New("a").View(st, 0); got != "" {
		t.Errorf("zero width View = %q", got)
	}
}
