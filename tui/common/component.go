package common

import (
	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
)

// Component is a screen or widget: a bubbletea model that can be resized
// and describes its keys for the help bar.
type Component interface {
	Init() tea.Cmd
	Update(tea.Msg) (Component, tea.Cmd)
	View() string
	SetSize(width, height int)
	// Help is the current key help (it may change with the component's
	// state, e.g. while a dialog is open).
	Help() help.KeyMap
}
