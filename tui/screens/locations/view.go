package locations

import (
	"strings"

	"github.com/jetstream-go/jetstream/tui/components/dialog"
	"github.com/jetstream-go/jetstream/tui/format"
)

// View implements common.Component.
func (m *Model) View() string {
	if m.Width <= 0 || m.Height <= 0 {
		return ""
	}
	st := m.Styles
	if m.form != nil {
		return pad(m.form.view(st, m.Width), m.Width, m.Height)
	}
	lines := []string{st.DialogTitle.Render("Locations"), ""}
	items := m.items()
	nameW := 16
	for i, l := range items {
		cur := "  "
		if i == m.cursor {
			cur = "› "
		}
		mark := " "
		var name, target string
		if i == 0 {
			name, target = "local", "this computer's files"
		} else {
			name, target = format.Sanitize(l.Label()), format.Sanitize(l.Target())
			if m.session(l.Label()) != nil {
				mark = "●"
			}
			if !m.isSaved(l) {
				target += "  (not saved)"
			}
		}
		line := cur + mark + " " + format.PadRight(name, nameW) + " " + target
		line = format.PadRight(line, m.Width)
		if i == m.cursor {
			line = st.Cursor.Render(line)
		}
		lines = append(lines, line)
	}
	lines = append(lines, "")
	if m.store != nil {
		lines = append(lines, st.Dim.Render(format.Fit("Saved in "+format.Sanitize(m.store.Path()), m.Width)))
	}
	lines = append(lines, st.Dim.Render(format.Fit("enter: right pane · o: left pane (server to server) · ● connected", m.Width)))
	if m.loadErr != "" {
		lines = append(lines, st.StatusError.Render(format.Fit("cannot read saved locations: "+format.Sanitize(m.loadErr), m.Width)))
	}
	if m.notice != "" {
		lines = append(lines, "")
		lines = append(lines, wrap(st.Warning.Render, "Notice: "+format.Sanitize(m.notice), m.Width)...)
	}
	if m.failure != "" {
		lines = append(lines, "")
		lines = append(lines, wrap(st.StatusError.Render, format.Sanitize(m.failure), m.Width)...)
	}
	v := pad(strings.Join(lines, "\n"), m.Width, m.Height)
	switch {
	case m.confirm != nil:
		v = dialog.Overlay(v, m.confirm.View(st, m.Width), m.Width, m.Height)
	case m.prompt != nil:
		v = dialog.Overlay(v, m.prompt.View(st, m.Width), m.Width, m.Height)
	}
	return v
}

// wrap splits text into lines of at most width cells, on spaces.
func wrap(render func(...string) string, text string, width int) []string {
	var out []string
	line := ""
	for _, w := range strings.Fields(text) {
		switch {
		case line == "":
			line = w
		case format.Width(line)+1+format.Width(w) <= width:
			line += " " + w
		default:
			out = append(out, render(format.Fit(line, width)))
			line = w
		}
	}
	if line != "" {
		out = append(out, render(format.Fit(line, width)))
	}
	return out
}

// pad fits a block into exactly w×h cells.
func pad(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	for len(lines) < h {
		lines = append(lines, "")
	}
	lines = lines[:h]
	for i, l := range lines {
		lines[i] = format.PadRight(l, w)
	}
	return strings.Join(lines, "\n")
}
