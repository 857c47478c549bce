package transfers

import (
	"fmt"
	"strings"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/tui/components/bar"
	"github.com/jetstream-go/jetstream/tui/components/dialog"
	"github.com/jetstream-go/jetstream/tui/components/sparkline"
	"github.com/jetstream-go/jetstream/tui/format"
	"github.com/jetstream-go/jetstream/tui/styles"
)

// detailRows is the height of the details pane.
const detailRows = 11

// listRows is the number of transfer rows that fit.
func (m *Model) listRows() int {
	h := m.Height - 1 // column header
	if m.details {
		h -= detailRows + 1
	}
	return max(h, 1)
}

// columns are the widths of the optional columns for a screen width.
type columns struct {
	host, prio, spark, bar int
}

func (m *Model) columns() columns {
	c := columns{bar: 10}
	rest := m.Width - 77
	if rest >= 14 {
		c.host = 12
		rest -= 13
	}
	if rest >= 5 {
		c.prio = 4
		rest -= 5
	}
	if rest >= 9 {
		c.spark = min(rest-1, 20)
		rest -= c.spark + 1
	}
	c.bar += max(min(rest, 10), 0)
	return c
}

// View implements common.Component.
func (m *Model) View() string {
	if m.Width <= 0 || m.Height <= 0 {
		return ""
	}
	st := m.Styles
	cols := m.columns()
	lines := []string{st.ColHeader.Render(format.PadRight(m.header(cols), m.Width))}
	switch {
	case len(m.rows) == 0 && !m.loaded && len(m.sessions) > 0:
		lines = append(lines, st.Dim.Render("  loading transfers…"))
	case len(m.rows) == 0 && len(m.sessions) == 0:
		lines = append(lines, st.Dim.Render("  Not connected: pick a server in the locations screen (1)."))
	case len(m.rows) == 0:
		lines = append(lines, st.Dim.Render("  No transfers yet: queue one from the file browser (2) with F5."))
	}
	end := min(m.offset+m.listRows(), len(m.rows))
	for i := m.offset; i < end; i++ {
		lines = append(lines, m.rowView(m.rows[i], cols, i == m.cursor))
	}
	for len(lines) < m.listRows()+1 {
		lines = append(lines, "")
	}
	if m.details {
		lines = append(lines, st.Dim.Render(strings.Repeat("─", m.Width)))
		lines = append(lines, m.detailsView()...)
	}
	for len(lines) < m.Height {
		lines = append(lines, "")
	}
	for i, l := range lines {
		lines[i] = format.PadRight(l, m.Width)
	}
	v := strings.Join(lines[:m.Height], "\n")
	if m.confirm != nil {
		v = dialog.Overlay(v, m.confirm.View(st, m.Width), m.Width, m.Height)
	}
	return v
}

func (m *Model) header(c columns) string {
	h := "  "
	if c.host > 0 {
		h += format.PadRight("Server", c.host) + " "
	}
	h += format.PadRight("ID", 8) + " " + format.PadRight("Status", 9) + " "
	if c.prio > 0 {
		h += format.PadLeft("Pri", c.prio-1) + " "
	}
	h += format.PadRight("Progress", c.bar) + " " + format.PadLeft("%", 4) + " " +
		format.PadLeft("Bytes", 17) + " " + format.PadLeft("Rate", 9) + " " +
		format.PadLeft("ETA", 6) + " " + format.PadLeft("Retx", 5)
	if c.spark > 0 {
		h += " " + format.PadRight("Rate history", c.spark)
	}
	return h
}

func (m *Model) rowView(r *row, c columns, isCursor bool) string {
	st := m.Styles
	t := r.t
	d := done(t)
	cur := "  "
	if isCursor {
		cur = "› "
	}
	var b strings.Builder
	b.WriteString(cur)
	if c.host > 0 {
		b.WriteString(format.PadRight(format.Sanitize(r.session.Key), c.host) + " ")
	}
	b.WriteString(format.PadRight(format.Sanitize(shortID(t.TransferID)), 8) + " ")
	b.WriteString(format.PadRight(format.Sanitize(t.Status), 9) + " ")
	if c.prio > 0 {
		b.WriteString(format.PadLeft(fmt.Sprint(t.Priority), c.prio-1) + " ")
	}
	whole := isCursor || t.Status == api.TransferError || t.Status == api.TransferComplete
	barStyles := st
	if whole {
		barStyles = plain // the row gets one style; inner styles would cut it
	}
	b.WriteString(bar.Render(barStyles, format.Fraction(d, t.TotalBytes), c.bar) + " ")
	b.WriteString(format.PadLeft(format.Percent(d, t.TotalBytes), 4) + " ")
	b.WriteString(format.PadLeft(format.Bytes(d)+"/"+format.Bytes(t.TotalBytes), 17) + " ")
	rate := "-"
	if t.Status == api.TransferActive {
		rate = format.Rate(t.CurrentRate)
	}
	b.WriteString(format.PadLeft(rate, 9) + " ")
	b.WriteString(format.PadLeft(eta(t, d), 6) + " ")
	b.WriteString(format.PadLeft(fmt.Sprintf("%.1f%%", retransmitPercent(t)), 5))
	if c.spark > 0 {
		b.WriteString(" " + sparkline.Render(r.hist.Values(), c.spark))
	}
	line := format.PadRight(b.String(), m.Width)
	switch {
	case isCursor:
		return st.Cursor.Render(line)
	case t.Status == api.TransferError:
		return st.StatusError.Render(line)
	case t.Status == api.TransferComplete:
		return st.StatusOK.Render(line)
	}
	return line
}

// plain draws parts of rows that get one style as a whole.
var plain = styles.NoColorStyles()

func eta(t api.Transfer, d int64) string {
	switch t.Status {
	case api.TransferActive:
		return format.ETA(t.TotalBytes-d, t.CurrentRate)
	case api.TransferPending:
		return "queued"
	case api.TransferComplete:
		return "done"
	}
	return "-"
}
