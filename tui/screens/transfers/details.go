package transfers

import (
	"fmt"
	"strings"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/tui/components/sparkline"
	"github.com/jetstream-go/jetstream/tui/format"
)

// detailsView is the details pane of the current row: detailRows lines.
func (m *Model) detailsView() []string {
	st := m.Styles
	r := m.current()
	if r == nil {
		return []string{st.Dim.Render("  no transfer selected")}
	}
	t := r.t
	d := done(t)
	w := m.Width
	label := func(s string) string { return st.Label.Render(format.PadRight(s, 9)) }
	lines := []string{
		label("Transfer") + format.Sanitize(t.TransferID) + " on " + format.Sanitize(r.session.Key) +
			" → " + format.Sanitize(orDash(t.DestinationPath)),
		label("State") + fmt.Sprintf("%s · priority %d · policy %s · overwrite %d · cipher %d",
			format.Sanitize(t.Status), t.Priority, format.Sanitize(orDash(t.Policy)), t.Overwrite, t.MinCipher),
		label("Bytes") + fmt.Sprintf("%s of %s (%s) · sent %s · acked %s · received %s",
			format.Bytes(d), format.Bytes(t.TotalBytes), format.Percent(d, t.TotalBytes),
			format.Bytes(t.BytesSent), format.Bytes(t.BytesAcked), format.Bytes(t.BytesRecv)),
		label("Blocks") + fmt.Sprintf("%d of %d acked · sent %d · re-sent %d (%.1f%%)",
			t.BlocksAcked, t.TotalBlocks, t.BlocksSent, t.BlocksRetransmitted, retransmitPercent(t)) +
			blockSize(t),
		label("Network") + fmt.Sprintf("rate %s (target %s, min %s) · RTT %.0f ms · packets %d out, %d in",
			format.Rate(t.CurrentRate), rateOrUnlimited(t.SendRateMax), format.Rate(t.MinRate),
			t.RoundTripTimeMs, t.PacketsSent, t.PacketsRecv),
		label("Time") + m.times(t),
		label("Rate") + sparkline.Render(r.hist.Values(), max(w-12, 1)),
		label("Files") + fmt.Sprintf("%d of %d done, %d failed", t.FilesDone, t.TotalFiles, t.FilesFailed) +
			currentFile(t),
	}
	if t.ErrorMessage != nil && *t.ErrorMessage != "" {
		lines = append(lines, st.StatusError.Render(label("Error")+format.Sanitize(*t.ErrorMessage)))
	}
	lines = append(lines, m.fileLines(r.key(), detailRows-len(lines))...)
	for i, l := range lines {
		lines[i] = format.Fit(l, w)
	}
	for len(lines) < detailRows {
		lines = append(lines, "")
	}
	return lines[:detailRows]
}

func (m *Model) fileLines(k string, n int) []string {
	if n <= 0 {
		return nil
	}
	st := m.Styles
	switch {
	case m.loading[k]:
		return []string{st.Dim.Render("  loading files…")}
	case m.filesErr[k] != "":
		return []string{st.StatusError.Render("  files: " + format.Sanitize(m.filesErr[k]))}
	}
	fs := m.files[k]
	out := make([]string, 0, n)
	for i, f := range fs {
		if len(out) == n-1 && len(fs)-i > 1 {
			out = append(out, st.Dim.Render(fmt.Sprintf("  …and %d more", len(fs)-i)))
			break
		}
		out = append(out, fmt.Sprintf("  %s → %s  %s", format.Sanitize(f.SrcPath), format.Sanitize(f.DestPath),
			st.Dim.Render(format.Bytes(f.FileSize))))
	}
	return out
}

func (m *Model) times(t api.Transfer) string {
	parts := []string{"requested " + stamp(t.RequestTime, m.TZ)}
	if t.StartTime != nil {
		parts = append(parts, "started "+stamp(*t.StartTime, m.TZ))
		end := m.Now()
		if t.EndTime != nil {
			end = time.UnixMicro(*t.EndTime)
			parts = append(parts, "ended "+stamp(*t.EndTime, m.TZ))
		}
		parts = append(parts, "elapsed "+format.Duration(end.Sub(time.UnixMicro(*t.StartTime))))
	}
	return strings.Join(parts, " · ")
}

func stamp(us int64, loc *time.Location) string {
	if us <= 0 {
		return "-"
	}
	return format.Stamp(time.UnixMicro(us), loc)
}

func rateOrUnlimited(kbps float64) string {
	if kbps <= 0 {
		return "unlimited"
	}
	return format.Rate(kbps)
}

func currentFile(t api.Transfer) string {
	if t.CurrentFile == "" {
		return ""
	}
	return " · now " + format.Sanitize(t.CurrentFile)
}

// blockSize is the block size part of the Blocks line (none when the
// server did not say).
func blockSize(t api.Transfer) string {
	if t.BlockSize <= 0 {
		return ""
	}
	return " · block " + format.Bytes(int64(t.BlockSize))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
