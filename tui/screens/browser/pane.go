package browser

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/jetstream-go/jetstream/tui/common"
	"github.com/jetstream-go/jetstream/tui/components/filelist"
	"github.com/jetstream-go/jetstream/tui/components/textfield"
	"github.com/jetstream-go/jetstream/tui/format"
	"github.com/jetstream-go/jetstream/tui/styles"
)

// pane is one side of the browser.
type pane struct {
	src     Source
	dir     string
	list    filelist.Model
	loading bool
	loaded  bool   // dir has been listed at least once
	err     string // last listing error
	gen     int    // bumped on every source or directory change
	width   int
	height  int

	filtering bool
	filter    textfield.Model
	autoEnter bool // enter the only root after the first roots listing
}

func newPane(src Source) *pane {
	p := &pane{src: src}
	p.dir = src.Start()
	return p
}

// setSource switches the pane to another file system.
func (p *pane) setSource(src Source) {
	p.src = src
	p.dir = src.Start()
	p.list.Reset()
	p.loaded, p.err, p.filtering = false, "", false
	p.gen++
}

// chdir changes directory; the caller loads it.
func (p *pane) chdir(dir string) {
	p.dir = dir
	p.list.Reset()
	p.loaded, p.err, p.filtering = false, "", false
	p.gen++
}

// Chrome: border (2) + label line + breadcrumb line + footer line; the
// list adds its own header line.
const paneChromeRows = 2 + 3 + 1

func (p *pane) setSize(w, h int) {
	p.width, p.height = w, h
	p.list.SetHeight(max(h-paneChromeRows, 0))
}

func (p *pane) view(st *styles.Styles, c common.Common, focused bool, duLine string) string {
	inner := max(p.width-2, 0)
	if inner == 0 || p.height < paneChromeRows {
		return ""
	}
	label := p.src.Label()
	sortKey, rev := p.list.Sort()
	arrow := "↑"
	if rev {
		arrow = "↓"
	}
	flags := fmt.Sprintf("%s%s", sortKey, arrow)
	if p.list.ShowHidden() {
		flags += " .*"
	}
	head := format.Fit(format.Sanitize(label), max(inner-format.Width(flags)-1, 1))
	head = st.PaneTitle.Render(head) + strings.Repeat(" ", max(inner-format.Width(head)-format.Width(flags), 0)) + st.Dim.Render(flags)

	crumbs := p.src.Crumbs(p.dir)
	for i := range crumbs {
		crumbs[i] = format.Sanitize(crumbs[i])
	}
	path := strings.Join(crumbs, " › ")
	pathLine := format.PadRight(format.FitLeft(path, inner), inner)

	body := p.list.View(st, inner, focused, c.TZ)
	switch {
	case p.err != "":
		body = bodyMessage(st.StatusError, "error: "+format.Sanitize(p.err), inner, p.height-paneChromeRows+1)
	case p.loading && !p.loaded:
		body = bodyMessage(st.Dim, "loading…", inner, p.height-paneChromeRows+1)
	}

	footer := p.footer(st, inner, duLine)
	content := strings.Join([]string{head, pathLine, body, footer}, "\n")
	box := st.Pane
	if focused {
		box = st.ActivePane
	}
	return box.Width(inner).Render(content)
}

// bodyMessage fills the list area with a message wrapped on up to three
// lines.
func bodyMessage(style lipgloss.Style, msg string, width, rows int) string {
	wrapped := strings.Split(lipgloss.NewStyle().Width(width).Render(msg), "\n")
	lines := make([]string, 0, rows)
	for i, l := range wrapped {
		if i == 3 {
			break
		}
		lines = append(lines, style.Render(format.PadRight(l, width)))
	}
	for len(lines) < rows {
		lines = append(lines, strings.Repeat(" ", width))
	}
	return strings.Join(lines[:max(rows, 0)], "\n")
}

func (p *pane) footer(st *styles.Styles, width int, duLine string) string {
	if p.filtering {
		return "/" + p.filter.View(st, width-1)
	}
	parts := []string{plural(p.list.Len(), "item")}
	if hidden := p.list.Total() - p.list.Len(); hidden > 0 && p.list.Filter() == "" {
		parts[0] += fmt.Sprintf(" (+%d hidden)", hidden)
	}
	if n := p.list.MarkedCount(); n > 0 {
		var sum int64
		for _, e := range p.list.Selection() {
			if !e.Dir {
				sum += e.Size
			}
		}
		parts = append(parts, fmt.Sprintf("%d marked %s", n, format.Bytes(sum)))
	}
	if f := p.list.Filter(); f != "" {
		parts = append(parts, "/"+format.Sanitize(f))
	}
	if duLine != "" {
		parts = append([]string{duLine}, parts...) // first: it is what was asked for
	}
	return st.Dim.Render(format.PadRight(format.Fit(strings.Join(parts, " · "), width), width))
}
