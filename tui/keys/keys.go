// Package keys is the TUI's one keymap, built from bubbles/key. It follows
// the bubbles conventions (arrows and hjkl, / filter, ? full help, q quit,
// ctrl+c) plus Midnight Commander's F5 copy, F6 move, F7 mkdir, F8 delete.
package keys

import "github.com/charmbracelet/bubbles/key"

// KeyMap holds every binding. Screens pick the ones they use; Help values
// built from them feed the help bar.
type KeyMap struct {
	// Global.
	Quit      key.Binding
	ForceQuit key.Binding
	Help      key.Binding
	Locations key.Binding
	Files     key.Binding
	Transfers key.Binding
	Events    key.Binding
	Info      key.Binding

	// Lists.
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
	Filter   key.Binding
	Reload   key.Binding

	// Browser.
	Open       key.Binding
	Parent     key.Binding
	SwitchPane key.Binding
	Mark       key.Binding
	MarkAll    key.Binding
	Hidden     key.Binding
	Sort       key.Binding
	Reverse    key.Binding
	Du         key.Binding
	GoTo       key.Binding
	Copy       key.Binding
	Move       key.Binding
	Mkdir      key.Binding
	Delete     key.Binding

	// Transfers.
	Details      key.Binding
	Suspend      key.Binding
	Resume       key.Binding
	Cancel       key.Binding
	PriorityUp   key.Binding
	PriorityDown key.Binding

	// Locations.
	Connect     key.Binding
	ConnectLeft key.Binding
	Add         key.Binding
	Edit        key.Binding
	Remove      key.Binding

	// Dialogs and forms.
	Confirm   key.Binding
	Back      key.Binding
	NextField key.Binding
	PrevField key.Binding
	Yes       key.Binding
	No        key.Binding
}

func b(help, desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() *KeyMap {
	return &KeyMap{
		Quit:      b("q", "quit", "q"),
		ForceQuit: b("ctrl+c", "quit", "ctrl+c"),
		Help:      b("?", "more keys", "?"),
		Locations: b("1", "locations", "1"),
		Files:     b("2", "files", "2"),
		Transfers: b("3", "transfers", "3"),
		Events:    b("4", "events", "4"),
		Info:      b("5", "server info", "5"),

		Up:       b("↑/k", "up", "up", "k"),
		Down:     b("↓/j", "down", "down", "j"),
		PageUp:   b("pgup", "page up", "pgup", "ctrl+b"),
		PageDown: b("pgdn", "page down", "pgdown", "ctrl+f"),
		Top:      b("g/home", "top", "home", "g"),
		Bottom:   b("G/end", "bottom", "end", "G"),
		Filter:   b("/", "filter", "/"),
		Reload:   b("ctrl+r", "reload", "ctrl+r"),

		Open:       b("→/l/enter", "open", "right", "l", "enter"),
		Parent:     b("←/h/bksp", "parent", "left", "h", "backspace"),
		SwitchPane: b("tab", "switch pane", "tab", "shift+tab"),
		Mark:       b("space", "mark", " ", "insert"),
		MarkAll:    b("ctrl+a", "mark all", "ctrl+a"),
		Hidden:     b(".", "hidden files", "."),
		Sort:       b("s", "sort", "s"),
		Reverse:    b("S", "reverse sort", "S"),
		Du:         b("u", "disk usage", "u"),
		GoTo:       b("p", "go to path", "p"),
		Copy:       b("F5/c", "copy", "f5", "c"),
		Move:       b("F6/m", "rename/move", "f6", "m"),
		Mkdir:      b("F7/n", "mkdir", "f7", "n"),
		Delete:     b("F8/del", "delete", "f8", "delete", "x"),

		Details:      b("enter", "details", "enter", "i"),
		Suspend:      b("p", "suspend", "p"),
		Resume:       b("r", "resume", "r"),
		Cancel:       b("x", "cancel", "x", "delete"),
		PriorityUp:   b("+", "priority up", "+", "="),
		PriorityDown: b("-", "priority down", "-"),

		Connect:     b("enter", "connect", "enter"),
		ConnectLeft: b("o", "open in left pane", "o"),
		Add:         b("a", "add", "a"),
		Edit:        b("e", "edit", "e"),
		Remove:      b("d", "delete", "d", "delete"),

		Confirm:   b("enter", "confirm", "enter"),
		Back:      b("esc", "back", "esc"),
		NextField: b("tab", "next field", "tab", "down"),
		PrevField: b("shift+tab", "previous field", "shift+tab", "up"),
		Yes:       b("y", "yes", "y", "Y"),
		No:        b("n", "no", "n", "N", "esc"),
	}
}
