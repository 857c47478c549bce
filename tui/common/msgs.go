package common

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"
)

// StatusKind is the severity of a status line message.
type StatusKind int

// Status kinds.
const (
	StatusInfo StatusKind = iota
	StatusOK
	StatusWarn
	StatusError
)

// StatusMsg puts a message in the status line.
type StatusMsg struct {
	Kind StatusKind
	Text string
}

// Info returns a command that shows an informational status.
func Info(format string, args ...any) tea.Cmd {
	return status(StatusInfo, format, args...)
}

// OK returns a command that shows a success status.
func OK(format string, args ...any) tea.Cmd {
	return status(StatusOK, format, args...)
}

// Fail returns a command that shows err in the status line, prefixed by
// what was being done.
func Fail(doing string, err error) tea.Cmd {
	return status(StatusError, "%s: %v", doing, err)
}

func status(k StatusKind, format string, args ...any) tea.Cmd {
	text := fmt.Sprintf(format, args...)
	return func() tea.Msg { return StatusMsg{Kind: k, Text: text} }
}

// Screen identifies one of the root model's screens.
type Screen int

// Screens, in tab order.
const (
	ScreenLocations Screen = iota
	ScreenFiles
	ScreenTransfers
	ScreenEvents
	ScreenInfo
)

// SwitchScreenMsg asks the root model to show a screen.
type SwitchScreenMsg struct{ Screen Screen }

// InputFocus is implemented by components that can hold the keyboard (a
// text input, a dialog): while InputFocused is true the root model passes
// every key to them and does not treat q or digits as global keys.
type InputFocus interface {
	InputFocused() bool
}

// SafeCmd runs fn in a tea.Cmd, turning a panic inside it (in a client
// implementation, say) into an error message instead of a crash.
func SafeCmd(fn func() tea.Msg, onPanic func(error) tea.Msg) tea.Cmd {
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				msg = onPanic(fmt.Errorf("internal error: %v", r))
			}
		}()
		return fn()
	}
}
