package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jetstream-go/jetstream/net/engine"
)

// printer renders progress and results: text on a TTY (a bar), plain lines
// otherwise, or NDJSON events with --json (human text then goes to stderr).
type printer struct {
	mu      sync.Mutex
	out     io.Writer // stdout (JSON events)
	err     io.Writer // stderr (human text)
	json    bool
	tty     bool
	quiet   bool
	verbose bool
	start   time.Time
	last    time.Time
	every   time.Duration
	lastLen int
	// interruptAt, when positive, makes the process send itself SIGINT once
	// that many bytes are acknowledged (a test hook: JSCP_TEST_INTERRUPT_AT).
	interruptAt int64
	interrupted bool
}

func (p *printer) event(kind string, fields map[string]any) {
	if !p.json {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	m := map[string]any{"event": kind, "time": time.Now().UTC().Format(time.RFC3339Nano)}
	for k, v := range fields {
		m[k] = v
	}
	b, _ := json.Marshal(m)
	fmt.Fprintf(p.out, "%s\n", b)
}

func (p *printer) info(format string, args ...any) {
	if p.quiet {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearLine()
	fmt.Fprintf(p.err, format+"\n", args...)
}

// out2 prints a result line on stdout (nothing with --json, whose events
// carry the same data).
func (p *printer) out2(format string, args ...any) {
	if p.json {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearLine()
	fmt.Fprintf(p.out, format+"\n", args...)
}

func (p *printer) clearLine() {
	if p.tty && p.lastLen > 0 {
		fmt.Fprintf(p.err, "\r%s\r", strings.Repeat(" ", p.lastLen))
		p.lastLen = 0
	}
}

// progress is called periodically with live stats.
func (p *printer) progress(st engine.Stats) {
	now := time.Now()
	done, total := st.BytesAcked, st.TotalBytes
	if p.interruptAt > 0 && done >= p.interruptAt && !p.interrupted {
		p.interrupted = true
		syscall.Kill(os.Getpid(), syscall.SIGINT)
	}
	elapsed := now.Sub(p.start).Seconds()
	avg := 0.0
	if elapsed > 0 {
		avg = float64(done) * 8 / elapsed
	}
	p.event("progress", map[string]any{"bytes": done, "totalBytes": total, "filesDone": st.FilesDone,
		"rateBitsPerSec": st.Rate * 8, "avgBitsPerSec": avg, "rttMs": st.RTT.Milliseconds(),
		"retransmittedBlocks": st.BlocksRetransmitted, "currentFile": st.CurrentFile})
	if p.quiet || p.json && !p.tty {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	pct := 0.0
	if total > 0 {
		pct = float64(done) * 100 / float64(total)
	}
	eta := "--:--"
	if avg > 0 && total > done {
		eta = fmtDuration(time.Duration(float64(total-done) * 8 / avg * float64(time.Second)))
	}
	if p.tty {
		bar := progressBar(pct, 24)
		line := fmt.Sprintf("%s %5.1f%% %s/%s %s avg %s ETA %s %s", bar, pct, humanBytes(done), humanBytes(total),
			humanRate(st.Rate*8), humanRate(avg), eta, trimName(st.CurrentFile, 30))
		fmt.Fprintf(p.err, "\r%s", line)
		if n := len(line); n < p.lastLen {
			fmt.Fprint(p.err, strings.Repeat(" ", p.lastLen-n))
		}
		p.lastLen = len(line)
		return
	}
	if now.Sub(p.last) < p.every {
		return
	}
	p.last = now
	fmt.Fprintf(p.err, "jscp: %5.1f%% %s of %s, %s avg, ETA %s\n", pct, humanBytes(done), humanBytes(total), humanRate(avg), eta)
}

func (p *printer) summary(st engine.Stats, files int64, failed int64) {
	el := time.Since(p.start)
	avg := float64(st.BytesAcked) * 8 / max(el.Seconds(), 1e-9)
	retx := 0.0
	if st.BlocksSent > 0 {
		retx = float64(st.BlocksRetransmitted) * 100 / float64(st.BlocksSent)
	}
	p.event("complete", map[string]any{"files": files, "filesFailed": failed, "bytes": st.BytesAcked, "bytesSent": st.BytesSent,
		"seconds": el.Seconds(), "avgBitsPerSec": avg, "retransmittedPercent": retx})
	p.info("%d files, %s in %s, %s average, %.2f%% retransmitted", files, humanBytes(st.BytesAcked),
		fmtDuration(el), humanRate(avg), retx)
}

func progressBar(pct float64, width int) string {
	n := int(pct / 100 * float64(width))
	n = min(max(n, 0), width)
	return "[" + strings.Repeat("=", n) + strings.Repeat(" ", width-n) + "]"
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

func humanRate(bits float64) string {
	switch {
	case bits >= 1e9:
		return fmt.Sprintf("%.2f Gbit/s", bits/1e9)
	case bits >= 1e6:
		return fmt.Sprintf("%.1f Mbit/s", bits/1e6)
	default:
		return fmt.Sprintf("%.0f kbit/s", bits/1e3)
	}
}

func fmtDuration(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%02d:%02d", m, s)
}

func trimName(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n+1:]
}
