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
// are dropped (they would re-arm forever), and so is a command still
// blocked after BlockLimit: a background wait (a watch's Next) that the
// test releases by closing the stream or cancelling the model's context.
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
		msg := runCmd(c)
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

// BlockLimit is how long Drive waits for one command.
var BlockLimit = 300 * time.Millisecond

func runCmd(c tea.Cmd) tea.Msg {
	ch := make(chan tea.Msg, 1)
	go func() { ch <- c() }()
	t := time.NewTimer(BlockLimit)
	defer t.Stop()
	select {
	case msg := <-ch:
		return msg
	case <-t.C:
		return nil
	}
}
