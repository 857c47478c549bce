package tui

import (
	"context"
	"errors"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/tui/common"
	"github.com/jetstream-go/jetstream/tui/screens/transfers"
)

// watchStartedMsg reports a new event subscription.
type watchStartedMsg struct {
	key    string
	stream common.EventStream
	err    error
}

// watchEventMsg carries one live event (or the stream's end).
type watchEventMsg struct {
	key    string
	stream common.EventStream
	ev     api.Event
	err    error
}

func (m *Model) startWatch(s *common.Session) tea.Cmd {
	ctx, cancel := m.CallCtx()
	return common.SafeCmd(func() tea.Msg {
		defer cancel()
		st, err := s.Client.Watch(ctx, nil)
		return watchStartedMsg{key: s.Key, stream: st, err: err}
	}, func(err error) tea.Msg {
		cancel()
		return watchStartedMsg{key: s.Key, err: err}
	})
}

// next waits for the stream's next event: the bubbletea realtime pattern,
// re-issued after each event.
func (m *Model) next(key string, st common.EventStream) tea.Cmd {
	ctx := m.Ctx
	return common.SafeCmd(func() tea.Msg {
		ev, err := st.Next(ctx)
		return watchEventMsg{key: key, stream: st, ev: ev, err: err}
	}, func(err error) tea.Msg {
		return watchEventMsg{key: key, stream: st, err: err}
	})
}

func (m *Model) onWatchStarted(msg watchStartedMsg) tea.Cmd {
	if msg.err != nil {
		return common.Fail("live events of "+msg.key+" (the views refresh by polling instead)", msg.err)
	}
	if msg.stream == nil {
		return nil
	}
	if m.session(msg.key) == nil {
		msg.stream.Close() // the session went away meanwhile
		return nil
	}
	m.watches[msg.key] = msg.stream
	return m.next(msg.key, msg.stream)
}

func (m *Model) session(key string) *common.Session {
	for _, s := range m.sessions {
		if s.Key == key {
			return s
		}
	}
	return nil
}

func (m *Model) onWatchEvent(msg watchEventMsg) tea.Cmd {
	if m.watches[msg.key] != msg.stream {
		return nil // an old stream of a replaced session
	}
	if msg.err != nil {
		delete(m.watches, msg.key)
		switch {
		case m.Ctx.Err() != nil, errors.Is(msg.err, context.Canceled):
			return nil // shutting down
		case errors.Is(msg.err, client.ErrClosed):
			return tea.Batch(m.dropSession(msg.key),
				common.Fail("connection to "+msg.key+" lost", msg.err))
		}
		return common.Fail("live events of "+msg.key+" ended", msg.err)
	}
	var cmds []tea.Cmd
	if msg.ev.Name != transfers.ProgressEventName {
		m.events.Add(msg.key, msg.ev)
	}
	cmds = append(cmds, m.transfers.OnEvent(msg.key, msg.ev), m.next(msg.key, msg.stream))
	return tea.Batch(cmds...)
}
