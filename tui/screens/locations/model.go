package locations

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/tui/common"
	"github.com/jetstream-go/jetstream/tui/components/dialog"
	"github.com/jetstream-go/jetstream/tui/format"
)

// Model is the connection screen.
type Model struct {
	common.Common
	store     common.LocationStore // nil: locations cannot be saved
	connector common.Connector

	saved    []common.Location
	adhoc    []common.Location // typed targets, not saved
	sessions []*common.Session
	cursor   int
	loadErr  string

	form    *form
	confirm *dialog.Confirm
	prompt  *dialog.Prompt

	pending    *pending // connection waiting for a password or running
	connecting bool
	notice     string // TLS pin notice of the last connection
	failure    string // last connection failure shown under the list
}

// pending is a connection being prepared.
type pending struct {
	loc  common.Location
	side common.Side
}

// Messages.
type (
	loadedMsg struct {
		locs []common.Location
		err  error
	}
	savedMsg struct {
		locs        []common.Location
		err         error
		what        string
		selectLabel string
	}
	connectResultMsg struct {
		loc      common.Location
		side     common.Side
		client   common.Client
		password string
		notice   string
		err      error
	}
)

// New returns the connection screen.
func New(c common.Common, store common.LocationStore, conn common.Connector) *Model {
	return &Model{Common: c, store: store, connector: conn}
}

// Init loads the saved locations.
func (m *Model) Init() tea.Cmd {
	if m.store == nil {
		return nil
	}
	store := m.store
	return common.SafeCmd(func() tea.Msg {
		locs, err := store.Load()
		return loadedMsg{locs: locs, err: err}
	}, func(err error) tea.Msg { return loadedMsg{err: err} })
}

// SetSize implements common.Component.
func (m *Model) SetSize(w, h int) { m.Common.SetSize(w, h) }

// InputFocused implements common.InputFocus.
func (m *Model) InputFocused() bool { return m.form != nil || m.confirm != nil || m.prompt != nil }

// Help implements common.Component.
func (m *Model) Help() help.KeyMap {
	switch {
	case m.confirm != nil:
		return m.Keys.DialogHelp()
	case m.form != nil:
		return m.Keys.FormHelp()
	case m.prompt != nil:
		return m.Keys.PromptHelp()
	}
	return m.Keys.LocationsHelp()
}

// SetSessions tells the screen which locations are connected.
func (m *Model) SetSessions(ss []*common.Session) { m.sessions = append(m.sessions[:0:0], ss...) }

// AddTarget adds an ad-hoc location (from the command line) and selects it.
func (m *Model) AddTarget(loc common.Location) {
	for i, l := range m.items() {
		if l.Label() == loc.Label() {
			m.cursor = i
			return
		}
	}
	m.adhoc = append(m.adhoc, loc)
	m.cursor = len(m.items()) - 1
}

// items are the list rows after the local entry.
func (m *Model) items() []common.Location {
	out := make([]common.Location, 0, len(m.saved)+len(m.adhoc)+1)
	out = append(out, common.Location{}) // local
	out = append(out, m.saved...)
	for _, a := range m.adhoc {
		if !slices.ContainsFunc(m.saved, func(s common.Location) bool { return s.Label() == a.Label() }) {
			out = append(out, a)
		}
	}
	return out
}

func (m *Model) session(label string) *common.Session {
	for _, s := range m.sessions {
		if s.Key == label {
			return s
		}
	}
	return nil
}

// Connect starts connecting to loc for a pane: a session already open is
// reused; otherwise the password is asked for, unless password is given.
func (m *Model) Connect(loc common.Location, side common.Side, password string) tea.Cmd {
	if s := m.session(loc.Label()); s != nil {
		return func() tea.Msg { return common.ConnectedMsg{Session: s, Side: side, Reused: true} }
	}
	m.pending = &pending{loc: loc, side: side}
	m.failure, m.notice = "", ""
	if password != "" {
		return m.dial(password)
	}
	user := loc.User
	if user == "" {
		user = "your user"
	}
	m.prompt = dialog.NewPrompt(fmt.Sprintf("Password of %s on %s", format.Sanitize(user), format.Sanitize(loc.Label())), "", true)
	m.prompt.Hint = "not saved; kept in memory while the TUI runs"
	return nil
}

func (m *Model) dial(password string) tea.Cmd {
	p := m.pending
	if p == nil || m.connector == nil {
		return common.Fail("connect", errors.New("no connector configured"))
	}
	m.connecting = true
	if m.prompt != nil {
		m.prompt.Hint = "connecting…"
	}
	conn, loc, side := m.connector, p.loc, p.side
	ctx, cancel := m.CallCtx()
	return common.SafeCmd(func() tea.Msg {
		defer cancel()
		var notice string
		c, err := conn.Connect(ctx, common.ConnectRequest{
			Location: loc, Password: password,
			OnPin: func(addr, fp, file string) {
				notice = fmt.Sprintf("First connection to %s: its TLS certificate %s is now pinned in %s. "+
					"Check the fingerprint with the server's administrator.", addr, fp, file)
			},
		})
		return connectResultMsg{loc: loc, side: side, client: c, password: password, notice: notice, err: err}
	}, func(err error) tea.Msg {
		cancel()
		return connectResultMsg{loc: loc, side: side, err: err}
	})
}

// Update implements common.Component.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.err != nil {
			m.loadErr = msg.err.Error()
			return m, common.Fail("read saved locations", msg.err)
		}
		m.loadErr = ""
		m.saved = msg.locs
		m.cursor = min(m.cursor, len(m.items())-1)
	case savedMsg:
		if msg.err != nil {
			return m, common.Fail(msg.what, msg.err)
		}
		m.saved = msg.locs
		m.selectLabel(msg.selectLabel)
		return m, common.OK("%s", msg.what)
	case connectResultMsg:
		return m, m.onConnected(msg)
	case tea.KeyMsg:
		return m, m.handleKey(msg)
	}
	return m, nil
}

func (m *Model) selectLabel(label string) {
	for i, l := range m.items() {
		if i > 0 && l.Label() == label {
			m.cursor = i
			return
		}
	}
	m.cursor = min(m.cursor, len(m.items())-1)
}

func (m *Model) onConnected(msg connectResultMsg) tea.Cmd {
	m.connecting = false
	if m.prompt != nil {
		m.prompt.Hint = ""
	}
	if msg.err != nil {
		var changed *client.CertChangedError
		switch {
		case errors.As(msg.err, &changed):
			m.prompt, m.pending = nil, nil
			m.failure = "TLS CERTIFICATE CHANGED: " + msg.err.Error()
			return common.Fail("connect to "+msg.loc.Label(), errors.New("the server's certificate changed; see the locations screen"))
		case api.CodeOf(msg.err) == api.CodeAuthFailed && m.prompt != nil:
			m.prompt.SetError("wrong user name or password; try again")
			return nil
		}
		if m.prompt != nil {
			m.prompt.SetError(msg.err.Error())
			return nil
		}
		m.pending = nil
		m.failure = msg.err.Error()
		return common.Fail("connect to "+msg.loc.Label(), msg.err)
	}
	if msg.client == nil {
		m.prompt, m.pending = nil, nil
		return common.Fail("connect to "+msg.loc.Label(), errors.New("the connector returned no client"))
	}
	m.prompt, m.pending = nil, nil
	m.notice = msg.notice
	s := &common.Session{Key: msg.loc.Label(), Location: msg.loc, Password: msg.password, Client: msg.client}
	return func() tea.Msg { return common.ConnectedMsg{Session: s, Side: msg.side, Notice: msg.notice} }
}

func (m *Model) handleKey(k tea.KeyMsg) tea.Cmd {
	km := m.Keys
	switch {
	case m.form != nil:
		return m.handleFormKey(k)
	case m.confirm != nil:
		switch m.confirm.Update(k, km) {
		case dialog.Accepted:
			m.confirm = nil
			return m.deleteCurrent()
		case dialog.Cancelled:
			m.confirm = nil
		}
		return nil
	case m.prompt != nil:
		if m.connecting {
			return nil // the attempt is running; its result closes or reuses the prompt
		}
		switch m.prompt.Update(k, km) {
		case dialog.Accepted:
			return m.dial(m.prompt.Value())
		case dialog.Cancelled:
			m.prompt, m.pending = nil, nil
		}
		return nil
	}
	items := m.items()
	switch {
	case key.Matches(k, km.Up):
		m.cursor = max(m.cursor-1, 0)
	case key.Matches(k, km.Down):
		m.cursor = min(m.cursor+1, len(items)-1)
	case key.Matches(k, km.Top):
		m.cursor = 0
	case key.Matches(k, km.Bottom):
		m.cursor = len(items) - 1
	case key.Matches(k, km.Back):
		return func() tea.Msg { return common.SwitchScreenMsg{Screen: common.ScreenFiles} }
	case key.Matches(k, km.Connect), key.Matches(k, km.ConnectLeft):
		side := common.Right
		if key.Matches(k, km.ConnectLeft) {
			side = common.Left
		}
		if m.cursor == 0 {
			return func() tea.Msg { return common.UseLocalMsg{Side: side} }
		}
		return m.Connect(items[m.cursor], side, "")
	case key.Matches(k, km.Add):
		m.form = newForm(common.Location{}, false)
	case key.Matches(k, km.Edit):
		if m.cursor == 0 {
			return common.Info("the local file system has no settings to edit")
		}
		m.form = newForm(items[m.cursor], m.isSaved(items[m.cursor]))
	case key.Matches(k, km.Remove):
		if m.cursor == 0 || !m.isSaved(items[m.cursor]) {
			return common.Info("only saved locations can be deleted")
		}
		l := items[m.cursor]
		m.confirm = &dialog.Confirm{Title: "Delete location", Lines: []string{
			fmt.Sprintf("Delete the saved location %s (%s)?", format.Sanitize(l.Name), format.Sanitize(l.Target())),
		}}
	}
	return nil
}

func (m *Model) isSaved(l common.Location) bool {
	return l.Name != "" && slices.ContainsFunc(m.saved, func(s common.Location) bool { return s.Name == l.Name })
}

func (m *Model) handleFormKey(k tea.KeyMsg) tea.Cmd {
	finished, save := m.form.update(k, m.Keys)
	if !finished {
		return nil
	}
	if !save {
		m.form = nil
		return nil
	}
	loc, err := m.form.location()
	if err == nil && loc.Name != m.form.orig && slices.ContainsFunc(m.saved, func(s common.Location) bool { return s.Name == loc.Name }) {
		err = fmt.Errorf("a location named %s exists already", loc.Name)
	}
	if err != nil {
		m.form.err = err.Error()
		return nil
	}
	if m.store == nil {
		m.form.err = "no configuration file to save to (the user configuration directory is unknown)"
		return nil
	}
	orig := m.form.orig
	m.form = nil
	next := make([]common.Location, 0, len(m.saved)+1)
	for _, s := range m.saved {
		if s.Name != orig {
			next = append(next, s)
		}
	}
	next = append(next, loc)
	slices.SortFunc(next, func(a, b common.Location) int { return strings.Compare(a.Name, b.Name) })
	what := "saved location " + loc.Name
	return m.save(next, what, loc.Name)
}

func (m *Model) deleteCurrent() tea.Cmd {
	items := m.items()
	if m.cursor <= 0 || m.cursor >= len(items) {
		return nil
	}
	name := items[m.cursor].Name
	next := make([]common.Location, 0, len(m.saved))
	for _, s := range m.saved {
		if s.Name != name {
			next = append(next, s)
		}
	}
	return m.save(next, "deleted location "+name, "")
}

func (m *Model) save(locs []common.Location, what, selectLabel string) tea.Cmd {
	store := m.store
	return common.SafeCmd(func() tea.Msg {
		if err := store.Save(locs); err != nil {
			return savedMsg{err: err, what: what}
		}
		return savedMsg{locs: locs, what: what, selectLabel: selectLabel}
	}, func(err error) tea.Msg { return savedMsg{err: err, what: what} })
}
