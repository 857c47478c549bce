package triggers

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// logWriter serialises writes to the trigger log: the worker's lines, the
// drop lines written by Fire and a running trigger's output.
type logWriter struct {
	mu  sync.Mutex
	w   io.Writer
	now func() time.Time
}

// timeFormat is the trigger log's timestamp: UTC, milliseconds.
const timeFormat = "2006-01-02T15:04:05.000Z07:00"

// maxLoggedArg bounds each argument as shown in the log.
const maxLoggedArg = 256

// event writes a line stamped with the current time. A nil logWriter
// writes nothing.
func (l *logWriter) event(what string, c Call, detail string) {
	if l == nil {
		return
	}
	l.line(l.now(), what, c, detail)
}

// line writes "<time> <what> <trigger> <args>[: detail]". A nil logWriter
// writes nothing.
func (l *logWriter) line(t time.Time, what string, c Call, detail string) {
	if l == nil {
		return
	}
	var b strings.Builder
	b.WriteString(t.UTC().Format(timeFormat))
	b.WriteByte(' ')
	b.WriteString(what)
	b.WriteByte(' ')
	b.WriteString(c.Name)
	for _, a := range c.Args {
		b.WriteByte(' ')
		b.WriteString(quoteArg(a))
	}
	if detail != "" {
		b.WriteString(": ")
		b.WriteString(detail)
	}
	b.WriteByte('\n')
	l.write([]byte(b.String()))
}

func (l *logWriter) write(p []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = l.w.Write(p) // the log is best effort; a trigger never fails for it
}

// quoteArg shows an argument the way a shell would take it back: bare when
// it is plain, in single quotes when printable, Go-quoted otherwise; long
// arguments are cut.
func quoteArg(a string) string {
	cut := ""
	if len(a) > maxLoggedArg {
		cut = fmt.Sprintf("…(%d bytes)", len(a))
		n := maxLoggedArg
		for n > 0 && !utf8.RuneStart(a[n]) {
			n--
		}
		a = a[:n]
	}
	switch {
	case a != "" && strings.IndexFunc(a, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("_-./:@%+=,", r))
	}) < 0:
	case strings.IndexFunc(a, func(r rune) bool { return !strconv.IsPrint(r) || r == '\n' }) < 0:
		a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	default:
		a = strconv.Quote(a)
	}
	return a + cut
}

// outputWriter passes at most limit bytes of one run's output to the log and
// swallows the rest (the trigger must not block on a full pipe).
type outputWriter struct {
	l     *logWriter
	left  int64
	total int64
	last  byte // last byte passed on
}

func (o *outputWriter) Write(p []byte) (int, error) {
	o.total += int64(len(p))
	if o.left > 0 {
		q := p
		if int64(len(q)) > o.left {
			q = q[:o.left]
		}
		o.left -= int64(len(q))
		if len(q) > 0 {
			o.last = q[len(q)-1]
		}
		o.l.write(q)
	}
	return len(p), nil
}

// finish ends the output on a line of its own and notes a cut.
func (o *outputWriter) finish(limit int64) {
	if o.total > 0 && o.last != '\n' {
		o.l.write([]byte("\n"))
	}
	if o.total > limit {
		o.l.write([]byte(fmt.Sprintf("[trigger output cut: %d of %d bytes logged]\n", limit, o.total)))
	}
}
