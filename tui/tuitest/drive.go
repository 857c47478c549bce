package tuitest

import (
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
)

// MaxMessages bounds Drive so that a command loop cannot hang a test.
const MaxMessages = 500

// Drive runs cmd and every command that the messages it yields make
// update return, breadth first, until none is left: the synchronous
// equivalent of a bubbletea program for Update-level tests. Spinner ticks
// are dropped (they would re-arm forever) and a command that blocks for
// longer than a second fails the test.
func Drive(tb testing.TB, update func(tea.Msg) tea.Cmd, cmd tea.Cmd) []tea.Msg {
	tb.Helper()
	var seen []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := runCmd(tb, c)
		switch msg := msg.(type) {
		case nil:
			continue
		case tea.BatchMsg:
			queue = append(queue, msg...)
			continue
		case spinner.TickMsg:
			continue
		}
		seen = append(seen, msg)
		if len(seen) > MaxMessages {
			tb.Fatalf("Drive: more than %d messages; a command loop?", MaxMessages)
		}
		queue = append(queue, update(msg))
	}
	return seen
}

func runCmd(tb testing.TB, c tea.Cmd) tea.Msg {
	tb.Helper()
	ch := make(chan tea.Msg, 1)
	go func() { ch <- c() }()
	select {
	case msg := <-ch:
		return msg
	case <-time.After(time.Second):
		tb.Fatalf("Drive: a command blocked for more than a second")
		return nil
	}
}
