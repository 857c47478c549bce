package dialog

import (
	"errors"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/jetstream-go/jetstream/tui/keys"
	"github.com/jetstream-go/jetstream/tui/styles"
)

var (
	km = keys.DefaultKeyMap()
	st = styles.NoColorStyles()
)

func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

func TestPrompt(t *testing.T) {
	p := NewPrompt("Name", "ab", false)
	p.Validate = func(s string) error {
		if s == "" {
			return errors.New("empty")
		}
		return nil
	}
	if r := p.Update(runes("c"), km); r != Pending || p.Value() != "abc" {
		t.Fatalf("typing: %v %q", r, p.Value())
	}
	p.Update(tea.KeyMsg{Type: tea.KeyCtrlU}, km)
	if r := p.Update(tea.KeyMsg{Type: tea.KeyEnter}, km); r != Pending || !strings.Contains(p.View(st, 80), "empty") {
		t.Errorf("invalid input accepted: %v\n%s", r, p.View(st, 80))
	}
	p.Update(runes("x"), km)
	if strings.Contains(p.View(st, 80), "empty") {
		t.Error("the error stayed after typing")
	}
	if r := p.Update(tea.KeyMsg{Type: tea.KeyEnter}, km); r != Accepted {
		t.Errorf("valid input: %v", r)
	}
	if r := p.Update(tea.KeyMsg{Type: tea.KeyEsc}, km); r != Cancelled {
		t.Errorf("esc: %v", r)
	}
	pw := NewPrompt("Password", "", true)
	pw.Update(runes("hunter2"), km)
	if v := pw.View(st, 80); strings.Contains(v, "hunter2") || !strings.Contains(v, "•••••••") {
		t.Errorf("password shown:\n%s", v)
	}
}

func TestConfirmAndChoice(t *testing.T) {
	c := &Confirm{Title: "Delete", Lines: []string{"sure?"}}
	for k, want := range map[string]Result{"y": Accepted, "n": Cancelled, "q": Pending} {
		if got := c.Update(runes(k), km); got != want {
			t.Errorf("confirm %q: %v, want %v", k, got, want)
		}
	}
	if c.Update(tea.KeyMsg{Type: tea.KeyEnter}, km) != Accepted || c.Update(tea.KeyMsg{Type: tea.KeyEsc}, km) != Cancelled {
		t.Error("enter/esc")
	}
	ch := &Choice{Title: "Overwrite?", Options: []Option{{"o", "overwrite"}, {"S", "skip all"}}}
	if ch.Update(runes("x"), km) != Pending {
		t.Error("unknown key accepted")
	}
	if ch.Update(runes("S"), km) != Accepted || ch.Chosen() != "S" {
		t.Errorf("S: chosen %q", ch.Chosen())
	}
	if ch.Update(tea.KeyMsg{Type: tea.KeyEsc}, km) != Cancelled {
		t.Error("esc")
	}
	for _, w := range []int{24, 80, 200} {
		for _, v := range []string{c.View(st, w), ch.View(st, w), NewPrompt("t", "v", false).View(st, w)} {
			for _, l := range strings.Split(v, "\n") {
				if ansi.StringWidth(l) > max(w, 24) {
					t.Errorf("width %d: dialog line %q too wide", w, l)
				}
			}
		}
	}
}

func TestOverlay(t *testing.T) {
	bg := strings.Join([]string{"aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc", "dddddddddd"}, "\n")
	got := Overlay(bg, "XX\nYY", 10, 4)
	want := strings.Join([]string{"aaaaaaaaaa", "bbbbXXbbbb", "ccccYYcccc", "dddddddddd"}, "\n")
	if got != want {
		t.Errorf("Overlay =\n%s\nwant\n%s", got, want)
	}
	short := Overlay("ab", "XYZ", 7, 3)
	if lines := strings.Split(short, "\n"); len(lines) != 3 || lines[1] != "  XYZ" {
		t.Errorf("Overlay on a short background = %q", short)
	}
	styled := Overlay("\x1b[1mbold text here\x1b[0m", "X", 14, 1)
	if !strings.Contains(styled, "X") || ansi.StringWidth(styled) != 14 {
		t.Errorf("Overlay on styled text = %q (%d cells)", styled, ansi.StringWidth(styled))
	}
}
