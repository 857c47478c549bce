package keys

import "github.com/charmbracelet/bubbles/key"

// Help is a help.KeyMap made of fixed bindings.
type Help struct {
	Short []key.Binding
	Full  [][]key.Binding
}

// ShortHelp implements help.KeyMap.
func (h Help) ShortHelp() []key.Binding { return h.Short }

// FullHelp implements help.KeyMap.
func (h Help) FullHelp() [][]key.Binding { return h.Full }

func (k *KeyMap) global() []key.Binding {
	return []key.Binding{k.Locations, k.Files, k.Transfers, k.Events, k.Info, k.Help, k.Quit}
}

// BrowserHelp is the help of the file browser.
func (k *KeyMap) BrowserHelp() Help {
	return Help{
		Short: []key.Binding{k.SwitchPane, k.Mark, k.Copy, k.Move, k.Mkdir, k.Delete, k.Filter, k.Help, k.Quit},
		Full: [][]key.Binding{
			{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Open, k.Parent},
			{k.SwitchPane, k.Mark, k.MarkAll, k.Filter, k.Hidden, k.Sort, k.Reverse, k.GoTo},
			{k.Copy, k.Move, k.Mkdir, k.Delete, k.Du, k.Reload},
			k.global(),
		},
	}
}

// TransfersHelp is the help of the transfers view.
func (k *KeyMap) TransfersHelp() Help {
	return Help{
		Short: []key.Binding{k.Details, k.Suspend, k.Resume, k.Cancel, k.PriorityUp, k.PriorityDown, k.Help, k.Quit},
		Full: [][]key.Binding{
			{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
			{k.Details, k.Suspend, k.Resume, k.Cancel, k.PriorityUp, k.PriorityDown, k.Reload},
			k.global(),
		},
	}
}

// EventsHelp is the help of the event log view.
func (k *KeyMap) EventsHelp() Help {
	return Help{
		Short: []key.Binding{k.Up, k.Down, k.Filter, k.Reload, k.Files, k.Help, k.Quit},
		Full: [][]key.Binding{
			{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
			{k.Filter, k.Reload},
			k.global(),
		},
	}
}

// InfoHelp is the help of the server info view.
func (k *KeyMap) InfoHelp() Help {
	return Help{
		Short: []key.Binding{k.Up, k.Down, k.Reload, k.Files, k.Help, k.Quit},
		Full: [][]key.Binding{
			{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
			{k.Reload},
			k.global(),
		},
	}
}

// LocationsHelp is the help of the connection screen.
func (k *KeyMap) LocationsHelp() Help {
	return Help{
		Short: []key.Binding{k.Connect, k.ConnectLeft, k.Add, k.Edit, k.Remove, k.Help, k.Quit},
		Full: [][]key.Binding{
			{k.Up, k.Down, k.Top, k.Bottom},
			{k.Connect, k.ConnectLeft, k.Add, k.Edit, k.Remove},
			k.global(),
		},
	}
}

// FormHelp is the help while a form or prompt has the focus.
func (k *KeyMap) FormHelp() Help {
	return Help{
		Short: []key.Binding{k.NextField, k.PrevField, k.Confirm, k.Back, k.ForceQuit},
		Full:  [][]key.Binding{{k.NextField, k.PrevField, k.Confirm, k.Back, k.ForceQuit}},
	}
}

// DialogHelp is the help of yes/no dialogs.
func (k *KeyMap) DialogHelp() Help {
	return Help{
		Short: []key.Binding{k.Yes, k.No, k.ForceQuit},
		Full:  [][]key.Binding{{k.Yes, k.No, k.ForceQuit}},
	}
}

// PromptHelp is the help of a one-line prompt.
func (k *KeyMap) PromptHelp() Help {
	confirm := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "confirm"))
	cancel := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))
	return Help{
		Short: []key.Binding{confirm, cancel, k.ForceQuit},
		Full:  [][]key.Binding{{confirm, cancel, k.ForceQuit}},
	}
}

// ConflictHelp is the help of the overwrite question.
func (k *KeyMap) ConflictHelp() Help {
	bs := []key.Binding{
		key.NewBinding(key.WithKeys("o"), key.WithHelp("o/O", "overwrite (all)")),
		key.NewBinding(key.WithKeys("s"), key.WithHelp("s/S", "skip (all)")),
		key.NewBinding(key.WithKeys("r"), key.WithHelp("r/R", "rename (all)")),
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
	return Help{Short: bs, Full: [][]key.Binding{bs}}
}
