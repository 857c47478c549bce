// Package events is the event log view: the server's logged events
// (getEventLog) followed live through the watch stream, newest at the
// bottom, with a filter.
package events

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/tui/common"
	"github.com/jetstream-go/jetstream/tui/components/textfield"
	"github.com/jetstream-go/jetstream/tui/format"
)

// Limits.
const (
	// LogLimit is how many logged events are fetched per server.
	LogLimit = 500
	// MaxRows bounds the rows kept; the oldest go first.
	MaxRows = 5000
)

// entry is one event of one server.
type entry struct {
	host string
	ev   api.Event
	text string // rendered once: time, name and fields
}

// Model is the event log screen.
type Model struct {
	common.Common
	sessions  []*common.Session
	rows      []entry
	visible   []int // indexes of rows matching the filter
	cursor    int
	offset    int
	follow    bool // keep the cursor on the newest event
	filtering bool
	filter    textfield.Model
	loaded    map[string]bool
}

// loggedMsg carries a server's event log.
type loggedMsg struct {
	key    string
	events []api.Event
	err    error
}

// New returns an empty event log.
func New(c common.Common) *Model {
	return &Model{Common: c, follow: true, loaded: map[string]bool{}}
}

// Init implements common.Component.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize implements common.Component.
func (m *Model) SetSize(w, h int) { m.Common.SetSize(w, h); m.clamp() }

// InputFocused implements common.InputFocus.
func (m *Model) InputFocused() bool { return m.filtering }

// Help implements common.Component.
func (m *Model) Help() help.KeyMap {
	if m.filtering {
		return m.Keys.PromptHelp()
	}
	return m.Keys.EventsHelp()
}

// SetSessions sets the servers shown and loads the logs of new ones.
func (m *Model) SetSessions(ss []*common.Session) tea.Cmd {
	m.sessions = append(m.sessions[:0:0], ss...)
	keep := map[string]bool{}
	var cmds []tea.Cmd
	for _, s := range ss {
		keep[s.Key] = true
		if !m.loaded[s.Key] {
			cmds = append(cmds, m.fetch(s))
		}
	}
	rows := m.rows[:0:0]
	for _, r := range m.rows {
		if keep[r.host] {
			rows = append(rows, r)
		}
	}
	for k := range m.loaded {
		if !keep[k] {
			delete(m.loaded, k)
		}
	}
	m.rows = rows
	m.rebuild()
	return tea.Batch(cmds...)
}

func (m *Model) fetch(s *common.Session) tea.Cmd {
	m.loaded[s.Key] = true
	ctx, cancel := m.CallCtx()
	return common.SafeCmd(func() tea.Msg {
		defer cancel()
		evs, err := s.Client.EventLog(ctx, common.EventFilter{Limit: LogLimit})
		return loggedMsg{key: s.Key, events: evs, err: err}
	}, func(err error) tea.Msg {
		cancel()
		return loggedMsg{key: s.Key, err: err}
	})
}

// Add appends a live event of a session.
func (m *Model) Add(sessionKey string, ev api.Event) {
	m.rows = append(m.rows, m.entry(sessionKey, ev))
	m.trim()
	m.rebuild()
}

func (m *Model) entry(host string, ev api.Event) entry {
	return entry{host: host, ev: ev, text: m.render(host, ev)}
}

func (m *Model) trim() {
	if over := len(m.rows) - MaxRows; over > 0 {
		m.rows = append(m.rows[:0], m.rows[over:]...)
	}
}

// render is the one-line text of an event: time, server (when several),
// name and its fields sorted by key.
func (m *Model) render(host string, ev api.Event) string {
	var b strings.Builder
	b.WriteString(format.Stamp(time.UnixMicro(ev.Timestamp), m.TZ))
	b.WriteString("  ")
	if len(m.sessions) > 1 {
		b.WriteString(format.Sanitize(host) + "  ")
	}
	b.WriteString(format.PadRight(format.Sanitize(orDash(ev.Name)), 22))
	keys := make([]string, 0, len(ev.Fields))
	for k := range ev.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b.WriteString(" " + format.Sanitize(k) + "=" + value(ev.Fields[k]))
	}
	return b.String()
}

func value(v any) string {
	switch v := v.(type) {
	case string:
		return format.Sanitize(v)
	case nil:
		return "null"
	}
	bs, err := json.Marshal(v)
	if err != nil {
		return "?"
	}
	return format.Sanitize(string(bs))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func (m *Model) rebuild() {
	f := strings.ToLower(m.filter.Value())
	m.visible = m.visible[:0]
	for i, r := range m.rows {
		if f == "" || strings.Contains(strings.ToLower(r.text), f) {
			m.visible = append(m.visible, i)
		}
	}
	if m.follow {
		m.cursor = len(m.visible) - 1
	}
	m.clamp()
}

func (m *Model) rowsFit() int { return max(m.Height-1, 1) }

func (m *Model) clamp() {
	n := len(m.visible)
	m.cursor = min(max(m.cursor, 0), max(n-1, 0))
	h := m.rowsFit()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+h {
		m.offset = m.cursor - h + 1
	}
	m.offset = min(max(m.offset, 0), max(n-h, 0))
}

// Update implements common.Component.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case loggedMsg:
		if msg.err != nil {
			return m, common.Fail("event log of "+msg.key, msg.err)
		}
		rows := make([]entry, 0, len(msg.events)+len(m.rows))
		for _, ev := range msg.events {
			rows = append(rows, m.entry(msg.key, ev))
		}
		// Logged events come before the live ones already received.
		seen := map[uint64]bool{}
		for _, ev := range msg.events {
			if ev.Seq != 0 {
				seen[ev.Seq] = true
			}
		}
		for _, r := range m.rows {
			if r.host == msg.key && r.ev.Seq != 0 && seen[r.ev.Seq] {
				continue
			}
			rows = append(rows, r)
		}
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].ev.Timestamp < rows[j].ev.Timestamp })
		m.rows = rows
		m.trim()
		m.rebuild()
	case tea.KeyMsg:
		return m, m.handleKey(msg)
	}
	return m, nil
}

func (m *Model) handleKey(k tea.KeyMsg) tea.Cmd {
	km := m.Keys
	if m.filtering {
		switch {
		case key.Matches(k, km.Back):
			m.filtering = false
			m.filter.SetValue("")
		case k.Type == tea.KeyEnter:
			m.filtering = false
		default:
			m.filter = m.filter.Update(k)
		}
		m.rebuild()
		return nil
	}
	switch {
	case key.Matches(k, km.Up):
		m.cursor--
	case key.Matches(k, km.Down):
		m.cursor++
	case key.Matches(k, km.PageUp):
		m.cursor -= m.rowsFit()
	case key.Matches(k, km.PageDown):
		m.cursor += m.rowsFit()
	case key.Matches(k, km.Top):
		m.cursor = 0
	case key.Matches(k, km.Bottom):
		m.cursor = len(m.visible) - 1
	case key.Matches(k, km.Filter):
		m.filtering = true
		m.filter = textfield.New(m.filter.Value())
	case key.Matches(k, km.Reload):
		var cmds []tea.Cmd
		for _, s := range m.sessions {
			cmds = append(cmds, m.fetch(s))
		}
		return tea.Batch(cmds...)
	default:
		return nil
	}
	m.clamp()
	m.follow = m.cursor >= len(m.visible)-1
	return nil
}

// View implements common.Component.
func (m *Model) View() string {
	if m.Width <= 0 || m.Height <= 0 {
		return ""
	}
	st := m.Styles
	head := fmt.Sprintf("%d events", len(m.visible))
	if len(m.visible) != len(m.rows) {
		head = fmt.Sprintf("%d of %d events", len(m.visible), len(m.rows))
	}
	if m.follow {
		head += " · following"
	}
	if m.filtering {
		head = "/" + m.filter.View(st, m.Width-1)
	} else if f := m.filter.Value(); f != "" {
		head += " · /" + format.Sanitize(f)
	}
	lines := []string{st.ColHeader.Render(format.PadRight(head, m.Width))}
	if len(m.sessions) == 0 {
		lines = append(lines, st.Dim.Render("  Not connected: pick a server in the locations screen (1)."))
	} else if len(m.rows) == 0 {
		lines = append(lines, st.Dim.Render("  No events yet."))
	}
	end := min(m.offset+m.rowsFit(), len(m.visible))
	for i := m.offset; i < end; i++ {
		r := m.rows[m.visible[i]]
		cur := "  "
		if i == m.cursor {
			cur = "› "
		}
		line := format.PadRight(cur+r.text, m.Width)
		if i == m.cursor {
			line = st.Cursor.Render(line)
		}
		lines = append(lines, line)
	}
	for len(lines) < m.Height {
		lines = append(lines, "")
	}
	for i, l := range lines {
		lines[i] = format.PadRight(l, m.Width)
	}
	return strings.Join(lines[:m.Height], "\n")
}
