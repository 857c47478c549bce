package transfers

import (
	"fmt"
	"sort"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/tui/common"
	"github.com/jetstream-go/jetstream/tui/components/dialog"
	"github.com/jetstream-go/jetstream/tui/components/sparkline"
	"github.com/jetstream-go/jetstream/tui/format"
)

// Model is the transfers screen.
type Model struct {
	common.Common
	sessions []*common.Session
	rows     []*row
	byKey    map[string]*row
	cursor   int
	offset   int
	details  bool
	loaded   bool

	files    map[string][]api.FileMapping // by row key
	filesErr map[string]string
	loading  map[string]bool // files being fetched

	confirm   *dialog.Confirm
	cancelRow string // key of the row the confirm dialog is about

	expected map[string]bool // rows queued from this TUI, not yet seen complete
}

// CompletedMsg reports that transfers of a session were seen to complete
// (the root model reloads the file panes so that their files show).
type CompletedMsg struct {
	SessionKey string
	IDs        []string
}

// listedMsg carries one session's transfers.
type listedMsg struct {
	key       string
	transfers []api.Transfer
	err       error
}

// actionMsg reports a finished transfer action.
type actionMsg struct {
	what  string // the success message
	doing string // what failed, when err is set ("" = what)
	err   error
	key   string // session to refresh
}

// filesMsg carries a transfer's manifest files.
type filesMsg struct {
	rowKey string
	files  []api.FileMapping
	err    error
}

// New returns an empty transfers screen.
func New(c common.Common) *Model {
	return &Model{Common: c, byKey: map[string]*row{}, files: map[string][]api.FileMapping{}, filesErr: map[string]string{},
		loading: map[string]bool{}, expected: map[string]bool{}}
}

// Expect notes a transfer queued from this TUI: its completion is
// reported (CompletedMsg) even when the first listing that shows it
// already shows it complete, or at once when a listing did so before.
func (m *Model) Expect(sessionKey, id string) tea.Cmd {
	if id == "" {
		return nil
	}
	k := sessionKey + "\x00" + id
	if r := m.byKey[k]; r != nil && r.t.Status == api.TransferComplete {
		done := CompletedMsg{SessionKey: sessionKey, IDs: []string{id}}
		return func() tea.Msg { return done }
	}
	m.expected[k] = true
	return nil
}

// Init implements common.Component.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize implements common.Component.
func (m *Model) SetSize(w, h int) { m.Common.SetSize(w, h); m.clamp() }

// InputFocused implements common.InputFocus.
func (m *Model) InputFocused() bool { return m.confirm != nil }

// Help implements common.Component.
func (m *Model) Help() help.KeyMap {
	if m.confirm != nil {
		return m.Keys.DialogHelp()
	}
	return m.Keys.TransfersHelp()
}

// SetSessions sets the servers whose transfers are shown; rows of other
// sessions go.
func (m *Model) SetSessions(ss []*common.Session) tea.Cmd {
	m.sessions = append(m.sessions[:0:0], ss...)
	keep := map[string]bool{}
	for _, s := range ss {
		keep[s.Key] = true
	}
	rows := m.rows[:0:0]
	for _, r := range m.rows {
		if keep[r.session.Key] {
			rows = append(rows, r)
		} else {
			delete(m.byKey, r.key())
		}
	}
	m.rows = rows
	m.clamp()
	return m.Refresh()
}

// Refresh lists the transfers of every session.
func (m *Model) Refresh() tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(m.sessions))
	for _, s := range m.sessions {
		s := s
		ctx, cancel := m.CallCtx()
		cmds = append(cmds, common.SafeCmd(func() tea.Msg {
			defer cancel()
			ts, err := s.Client.Transfers(ctx)
			return listedMsg{key: s.Key, transfers: ts, err: err}
		}, func(err error) tea.Msg {
			cancel()
			return listedMsg{key: s.Key, err: err}
		}))
	}
	return tea.Batch(cmds...)
}

// OnEvent takes a live event of a session: progress updates rows; other
// transfer events trigger a refresh of that session.
func (m *Model) OnEvent(sessionKey string, ev api.Event) tea.Cmd {
	s := m.session(sessionKey)
	if s == nil {
		return nil
	}
	id, _ := ev.Fields["transferId"].(string)
	if id == "" {
		return nil
	}
	if ev.Name != ProgressEventName {
		return m.refreshSession(s)
	}
	r := m.byKey[sessionKey+"\x00"+id]
	if r == nil {
		t, ok := transferOf(ev)
		if !ok {
			return nil
		}
		m.upsert(s, t)
		m.sortRows()
		return nil
	}
	if applyEvent(&r.t, ev) && r.t.Status == api.TransferActive {
		r.hist.Add(r.t.CurrentRate)
	}
	return nil
}

func (m *Model) session(key string) *common.Session {
	for _, s := range m.sessions {
		if s.Key == key {
			return s
		}
	}
	return nil
}

func (m *Model) refreshSession(s *common.Session) tea.Cmd {
	ctx, cancel := m.CallCtx()
	return common.SafeCmd(func() tea.Msg {
		defer cancel()
		ts, err := s.Client.Transfers(ctx)
		return listedMsg{key: s.Key, transfers: ts, err: err}
	}, func(err error) tea.Msg {
		cancel()
		return listedMsg{key: s.Key, err: err}
	})
}

func (m *Model) upsert(s *common.Session, t api.Transfer) *row {
	k := s.Key + "\x00" + t.TransferID
	r := m.byKey[k]
	if r == nil {
		r = &row{session: s, hist: sparkline.NewHistory(historyLen)}
		m.byKey[k] = r
		m.rows = append(m.rows, r)
	} else if t.SnapshotTime < r.t.SnapshotTime {
		return r // older than what a progress event already showed
	}
	sample := len(r.hist.Values()) == 0 || t.SnapshotTime != r.t.SnapshotTime
	r.t = t
	if sample && t.Status == api.TransferActive {
		r.hist.Add(t.CurrentRate) // one sample per snapshot
	}
	return r
}

func (m *Model) sortRows() {
	var cur string
	if r := m.current(); r != nil {
		cur = r.key()
	}
	sort.SliceStable(m.rows, func(i, j int) bool {
		a, b := m.rows[i].t, m.rows[j].t
		if ra, rb := statusRank(a.Status), statusRank(b.Status); ra != rb {
			return ra < rb
		}
		if a.Priority != b.Priority {
			return a.Priority < b.Priority // lower numbers run first
		}
		if a.RequestTime != b.RequestTime {
			return a.RequestTime > b.RequestTime
		}
		return m.rows[i].key() < m.rows[j].key()
	})
	for i, r := range m.rows {
		if r.key() == cur {
			m.cursor = i
		}
	}
	m.clamp()
}

func (m *Model) current() *row {
	if m.cursor < 0 || m.cursor >= len(m.rows) {
		return nil
	}
	return m.rows[m.cursor]
}

// Update implements common.Component.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case listedMsg:
		return m, m.onListed(msg)
	case actionMsg:
		var cmd tea.Cmd
		if msg.err != nil {
			doing := msg.doing
			if doing == "" {
				doing = msg.what
			}
			cmd = common.Fail(doing, msg.err)
		} else {
			cmd = common.OK("%s", msg.what)
		}
		if s := m.session(msg.key); s != nil {
			cmd = tea.Batch(cmd, m.refreshSession(s))
		}
		return m, cmd
	case filesMsg:
		delete(m.loading, msg.rowKey)
		if msg.err != nil {
			m.filesErr[msg.rowKey] = msg.err.Error()
		} else {
			m.files[msg.rowKey] = msg.files
			delete(m.filesErr, msg.rowKey)
		}
		return m, nil
	case tea.KeyMsg:
		return m, m.handleKey(msg)
	}
	return m, nil
}

func (m *Model) onListed(msg listedMsg) tea.Cmd {
	s := m.session(msg.key)
	if s == nil {
		return nil
	}
	if msg.err != nil {
		return common.Fail("list transfers of "+s.Key, msg.err)
	}
	m.loaded = true
	hadRows := len(m.rows) > 0
	seen := map[string]bool{}
	var completed []string
	for _, t := range msg.transfers {
		if t.TransferID == "" {
			continue
		}
		seen[t.TransferID] = true
		k := s.Key + "\x00" + t.TransferID
		prev, existed := m.byKey[k]
		watch := m.expected[k] || (existed && prev.t.Status != api.TransferComplete)
		r := m.upsert(s, t)
		if watch && r.t.Status == api.TransferComplete {
			completed = append(completed, t.TransferID)
		}
		if statusRank(r.t.Status) >= 3 { // error, complete, cancelled: nothing more to expect
			delete(m.expected, k)
		}
	}
	rows := m.rows[:0]
	for _, r := range m.rows {
		if r.session.Key == s.Key && !seen[r.t.TransferID] {
			delete(m.byKey, r.key())
			continue
		}
		rows = append(rows, r)
	}
	m.rows = rows
	m.sortRows()
	if !hadRows {
		m.cursor = 0 // a first listing starts at the top
		m.clamp()
	}
	if len(completed) == 0 {
		return nil
	}
	done := CompletedMsg{SessionKey: s.Key, IDs: completed}
	return func() tea.Msg { return done }
}

func (m *Model) handleKey(k tea.KeyMsg) tea.Cmd {
	km := m.Keys
	if m.confirm != nil {
		switch m.confirm.Update(k, km) {
		case dialog.Accepted:
			m.confirm = nil
			if r := m.byKey[m.cancelRow]; r != nil {
				return m.action(r, common.ActionCancel)
			}
		case dialog.Cancelled:
			m.confirm = nil
		}
		return nil
	}
	switch {
	case key.Matches(k, km.Up):
		m.cursor--
	case key.Matches(k, km.Down):
		m.cursor++
	case key.Matches(k, km.PageUp):
		m.cursor -= max(m.listRows(), 1)
	case key.Matches(k, km.PageDown):
		m.cursor += max(m.listRows(), 1)
	case key.Matches(k, km.Top):
		m.cursor = 0
	case key.Matches(k, km.Bottom):
		m.cursor = len(m.rows) - 1
	case key.Matches(k, km.Reload):
		return m.Refresh()
	case key.Matches(k, km.Details):
		m.details = !m.details
		m.clamp()
		return m.loadFiles()
	}
	r := m.current()
	if r == nil {
		m.clamp()
		return nil
	}
	switch {
	case key.Matches(k, km.Suspend):
		return m.action(r, common.ActionSuspend)
	case key.Matches(k, km.Resume):
		return m.action(r, common.ActionResume)
	case key.Matches(k, km.Cancel):
		m.cancelRow = r.key()
		m.confirm = &dialog.Confirm{Title: "Cancel transfer", Lines: []string{
			fmt.Sprintf("Cancel transfer %s on %s?", format.Sanitize(shortID(r.t.TransferID)), format.Sanitize(r.session.Key)),
			"Files already written stay; a cancelled transfer cannot be resumed.",
		}}
	case key.Matches(k, km.PriorityUp): // more urgent: a lower number, as the product
		return m.priority(r, r.t.Priority-1)
	case key.Matches(k, km.PriorityDown):
		return m.priority(r, r.t.Priority+1)
	}
	m.clamp()
	return m.loadFiles()
}

func (m *Model) action(r *row, a common.TransferAction) tea.Cmd {
	s, id := r.session, r.t.TransferID
	what := fmt.Sprintf("%s transfer %s", a, shortID(id))
	ctx, cancel := m.CallCtx()
	return common.SafeCmd(func() tea.Msg {
		defer cancel()
		return actionMsg{what: what, err: s.Client.TransferAction(ctx, a, id), key: s.Key}
	}, func(err error) tea.Msg {
		cancel()
		return actionMsg{what: what, err: err, key: s.Key}
	})
}

func (m *Model) priority(r *row, p int) tea.Cmd {
	s, id := r.session, r.t.TransferID
	what := fmt.Sprintf("priority of %s set to %d", shortID(id), p)
	doing := fmt.Sprintf("set priority of %s to %d", shortID(id), p)
	ctx, cancel := m.CallCtx()
	return common.SafeCmd(func() tea.Msg {
		defer cancel()
		return actionMsg{what: what, doing: doing, err: s.Client.SetPriority(ctx, id, p), key: s.Key}
	}, func(err error) tea.Msg {
		cancel()
		return actionMsg{what: what, doing: doing, err: err, key: s.Key}
	})
}

// loadFiles fetches the current row's files when the details pane is open.
func (m *Model) loadFiles() tea.Cmd {
	r := m.current()
	if !m.details || r == nil || r.t.ManifestID == "" {
		return nil
	}
	k := r.key()
	if _, ok := m.files[k]; ok {
		return nil
	}
	if _, ok := m.filesErr[k]; ok || m.loading[k] {
		return nil
	}
	m.loading[k] = true
	s, mid := r.session, r.t.ManifestID
	ctx, cancel := m.CallCtx()
	return common.SafeCmd(func() tea.Msg {
		defer cancel()
		fs, err := s.Client.ManifestFiles(ctx, mid)
		return filesMsg{rowKey: k, files: fs, err: err}
	}, func(err error) tea.Msg {
		cancel()
		return filesMsg{rowKey: k, err: err}
	})
}

func (m *Model) clamp() {
	n := len(m.rows)
	m.cursor = min(max(m.cursor, 0), max(n-1, 0))
	h := max(m.listRows(), 1)
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+h {
		m.offset = m.cursor - h + 1
	}
	m.offset = min(max(m.offset, 0), max(n-h, 0))
}

// shortID abbreviates long transfer ids.
func shortID(id string) string {
	if r := []rune(id); len(r) > 8 {
		return string(r[:8])
	}
	return id
}
