// Package styles is the one place the TUI's look is defined (lipgloss v1).
// Screens receive a *Styles and never build styles of their own.
package styles

import "github.com/charmbracelet/lipgloss"

// Styles are every style the TUI renders with.
type Styles struct {
	NoColor bool // the set was built for NO_COLOR terminals

	Header    lipgloss.Style // the top bar
	Brand     lipgloss.Style // "JetStream" in the top bar
	Tab       lipgloss.Style // an inactive screen tab
	ActiveTab lipgloss.Style // the current screen tab
	Host      lipgloss.Style // connection label in the top bar

	Pane       lipgloss.Style // border of an inactive pane
	ActivePane lipgloss.Style // border of the active pane
	PaneTitle  lipgloss.Style // path bar of a pane
	ColHeader  lipgloss.Style // column headers of tables
	Cursor     lipgloss.Style // cursor row of the focused list
	CursorDim  lipgloss.Style // cursor row of an unfocused list
	Marked     lipgloss.Style // marked (selected) entries
	Dir        lipgloss.Style // directory names
	File       lipgloss.Style // file names
	Link       lipgloss.Style // symlink names
	Dim        lipgloss.Style // secondary text: sizes, times, hints

	StatusInfo  lipgloss.Style // informational status line
	StatusError lipgloss.Style // error status line
	StatusOK    lipgloss.Style // success status line
	Warning     lipgloss.Style // notices that need attention (TLS pin)
	Spinner     lipgloss.Style

	Dialog      lipgloss.Style // box of modal dialogs
	DialogTitle lipgloss.Style
	Label       lipgloss.Style // field labels (forms, info)
	Value       lipgloss.Style // field values
	Error       lipgloss.Style // inline validation errors

	BarFull   lipgloss.Style // filled part of progress bars
	BarEmpty  lipgloss.Style // empty part of progress bars
	Sparkline lipgloss.Style

	HelpKey  lipgloss.Style
	HelpDesc lipgloss.Style
	HelpSep  lipgloss.Style
}

// Palette.
var (
	accent   = lipgloss.AdaptiveColor{Light: "#0B6E99", Dark: "#4FC1FF"}
	subtle   = lipgloss.AdaptiveColor{Light: "#8A8A8A", Dark: "#7A7A7A"}
	faint    = lipgloss.AdaptiveColor{Light: "#C8C8C8", Dark: "#3A3A3A"}
	red      = lipgloss.AdaptiveColor{Light: "#C62828", Dark: "#FF6B6B"}
	green    = lipgloss.AdaptiveColor{Light: "#2E7D32", Dark: "#7BD88F"}
	yellow   = lipgloss.AdaptiveColor{Light: "#9A6700", Dark: "#FFD866"}
	dirColor = lipgloss.AdaptiveColor{Light: "#1565C0", Dark: "#82AAFF"}
	linkCol  = lipgloss.AdaptiveColor{Light: "#6A1B9A", Dark: "#C792EA"}
	hiBg     = lipgloss.AdaptiveColor{Light: "#D7ECF7", Dark: "#264F78"}
	dimBg    = lipgloss.AdaptiveColor{Light: "#ECECEC", Dark: "#303030"}
)

// DefaultStyles is the colour set.
func DefaultStyles() *Styles {
	s := base()
	s.Brand = s.Brand.Foreground(accent)
	s.ActiveTab = s.ActiveTab.Foreground(accent)
	s.Tab = s.Tab.Foreground(subtle)
	s.Host = s.Host.Foreground(subtle)
	s.Pane = s.Pane.BorderForeground(faint)
	s.ActivePane = s.ActivePane.BorderForeground(accent)
	s.ColHeader = s.ColHeader.Foreground(subtle)
	s.Cursor = lipgloss.NewStyle().Background(hiBg).Bold(true)
	s.CursorDim = lipgloss.NewStyle().Background(dimBg)
	s.Marked = s.Marked.Foreground(yellow)
	s.Dir = s.Dir.Foreground(dirColor)
	s.Link = s.Link.Foreground(linkCol)
	s.Dim = s.Dim.Foreground(subtle)
	s.StatusInfo = s.StatusInfo.Foreground(subtle)
	s.StatusError = s.StatusError.Foreground(red)
	s.StatusOK = s.StatusOK.Foreground(green)
	s.Warning = s.Warning.Foreground(yellow)
	s.Spinner = s.Spinner.Foreground(accent)
	s.Dialog = s.Dialog.BorderForeground(accent)
	s.DialogTitle = s.DialogTitle.Foreground(accent)
	s.Label = s.Label.Foreground(subtle)
	s.Error = s.Error.Foreground(red)
	s.BarFull = s.BarFull.Foreground(accent)
	s.BarEmpty = s.BarEmpty.Foreground(faint)
	s.Sparkline = s.Sparkline.Foreground(green)
	s.HelpKey = s.HelpKey.Foreground(subtle)
	s.HelpDesc = s.HelpDesc.Foreground(faint)
	s.HelpSep = s.HelpSep.Foreground(faint)
	return s
}

// NoColorStyles honours NO_COLOR: no colours at all, emphasis by bold and
// reverse video only. Every state also shows as a glyph, so the UI stays
// usable on terminals that drop attributes.
func NoColorStyles() *Styles {
	s := base()
	s.NoColor = true
	return s
}

func base() *Styles {
	border := lipgloss.RoundedBorder()
	return &Styles{
		Header:      lipgloss.NewStyle(),
		Brand:       lipgloss.NewStyle().Bold(true),
		Tab:         lipgloss.NewStyle(),
		ActiveTab:   lipgloss.NewStyle().Bold(true).Underline(true),
		Host:        lipgloss.NewStyle(),
		Pane:        lipgloss.NewStyle().Border(border),
		ActivePane:  lipgloss.NewStyle().Border(lipgloss.ThickBorder()),
		PaneTitle:   lipgloss.NewStyle().Bold(true),
		ColHeader:   lipgloss.NewStyle(),
		Cursor:      lipgloss.NewStyle().Reverse(true),
		CursorDim:   lipgloss.NewStyle(),
		Marked:      lipgloss.NewStyle().Bold(true),
		Dir:         lipgloss.NewStyle().Bold(true),
		File:        lipgloss.NewStyle(),
		Link:        lipgloss.NewStyle().Italic(true),
		Dim:         lipgloss.NewStyle(),
		StatusInfo:  lipgloss.NewStyle(),
		StatusError: lipgloss.NewStyle().Bold(true),
		StatusOK:    lipgloss.NewStyle(),
		Warning:     lipgloss.NewStyle().Bold(true),
		Spinner:     lipgloss.NewStyle(),
		Dialog:      lipgloss.NewStyle().Border(border).Padding(0, 1),
		DialogTitle: lipgloss.NewStyle().Bold(true),
		Label:       lipgloss.NewStyle(),
		Value:       lipgloss.NewStyle(),
		Error:       lipgloss.NewStyle().Bold(true),
		BarFull:     lipgloss.NewStyle(),
		BarEmpty:    lipgloss.NewStyle(),
		Sparkline:   lipgloss.NewStyle(),
		HelpKey:     lipgloss.NewStyle().Bold(true),
		HelpDesc:    lipgloss.NewStyle(),
		HelpSep:     lipgloss.NewStyle(),
	}
}
