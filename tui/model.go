package tui

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/jetstream-go/jetstream/tui/common"
	"github.com/jetstream-go/jetstream/tui/keys"
	"github.com/jetstream-go/jetstream/tui/screens/browser"
	"github.com/jetstream-go/jetstream/tui/screens/events"
	"github.com/jetstream-go/jetstream/tui/screens/info"
	"github.com/jetstream-go/jetstream/tui/screens/locations"
	"github.com/jetstream-go/jetstream/tui/screens/transfers"
	"github.com/jetstream-go/jetstream/tui/styles"
)

// Model is the root model: a screen enum, the screens, the sessions, the
// status line and the help bar. Build it with New; it is a tea.Model.
type Model struct {
	common.Common
	opts   Options
	cancel context.CancelFunc

	screen    common.Screen
	locations *locations.Model
	browser   *browser.Model
	transfers *transfers.Model
	events    *events.Model
	info      *info.Model

	sessions []*common.Session
	watches  map[string]common.EventStream

	status   common.StatusMsg
	help     help.Model
	width    int
	height   int
	initial  *common.Location // target to connect to at start
	quitting bool
	// quitArmed is set by a first q while direct transfers run: a second
	// q quits (and cancels them), any other key disarms it.
	quitArmed bool
}

// New builds the root model. The context bounds every server call and
// watch; Close releases the sessions once the program has ended.
func New(ctx context.Context, opts Options) (*Model, error) {
	if opts.Connector == nil {
		return nil, errors.New("tui: no Connector in Options")
	}
	if opts.LocalFS == nil {
		opts.LocalFS = OSFS{}
	}
	if opts.Locations == nil {
		opts.Locations = ConfigStore{File: opts.ConfigPath}
	}
	if opts.RefreshInterval == 0 {
		opts.RefreshInterval = DefaultRefreshInterval
	}
	st := styles.DefaultStyles()
	if opts.NoColor || noColorEnv() {
		st = styles.NoColorStyles()
	}
	ctx, cancel := context.WithCancel(ctx)
	c := common.NewCommon(common.Common{
		Ctx: ctx, Styles: st, Keys: keys.DefaultKeyMap(),
		Now: opts.Now, TZ: opts.TZ, CallTimeout: opts.CallTimeout,
	})
	m := &Model{
		Common:    c,
		opts:      opts,
		cancel:    cancel,
		screen:    common.ScreenLocations,
		locations: locations.New(c, opts.Locations, opts.Connector),
		browser:   browser.New(c, opts.LocalFS),
		transfers: transfers.New(c),
		events:    events.New(c),
		info:      info.New(c),
		watches:   map[string]common.EventStream{},
		help:      newHelp(st),
	}
	if opts.Target != "" {
		saved, _ := opts.Locations.Load() // errors show on the locations screen
		loc, err := resolveTarget(opts.Target, saved)
		if err != nil {
			cancel()
			return nil, err
		}
		m.initial = &loc
		m.locations.AddTarget(loc)
	}
	return m, nil
}

func newHelp(st *styles.Styles) help.Model {
	h := help.New()
	h.Styles.ShortKey, h.Styles.FullKey = st.HelpKey, st.HelpKey
	h.Styles.ShortDesc, h.Styles.FullDesc = st.HelpDesc, st.HelpDesc
	h.Styles.ShortSeparator, h.Styles.FullSeparator, h.Styles.Ellipsis = st.HelpSep, st.HelpSep, st.HelpSep
	return h
}

// Close cancels pending calls and closes every session.
func (m *Model) Close() error {
	m.cancel()
	var errs []error
	for _, w := range m.watches {
		w.Close()
	}
	for _, s := range m.sessions {
		if err := s.Client.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close %s: %w", s.Key, err))
		}
	}
	m.sessions, m.watches = nil, map[string]common.EventStream{}
	return errors.Join(errs...)
}

// Screen is the screen shown.
func (m *Model) Screen() common.Screen { return m.screen }

// Status is the status line's message.
func (m *Model) Status() common.StatusMsg { return m.status }

// Sessions are the connected servers.
func (m *Model) Sessions() []*common.Session { return m.sessions }

type tickMsg struct{}

func (m *Model) tick() tea.Cmd {
	if m.opts.RefreshInterval < 0 {
		return nil
	}
	return tea.Tick(m.opts.RefreshInterval, func(_ time.Time) tea.Msg { return tickMsg{} })
}

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.locations.Init(), m.browser.Init(), m.tick()}
	if m.initial != nil {
		cmds = append(cmds, m.locations.Connect(*m.initial, common.Right, m.opts.Password))
	}
	return tea.Batch(cmds...)
}

func (m *Model) current() common.Component {
	switch m.screen {
	case common.ScreenFiles:
		return m.browser
	case common.ScreenTransfers:
		return m.transfers
	case common.ScreenEvents:
		return m.events
	case common.ScreenInfo:
		return m.info
	}
	return m.locations
}

func (m *Model) inputFocused() bool {
	if f, ok := m.current().(common.InputFocus); ok {
		return f.InputFocused()
	}
	return false
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case tea.KeyMsg:
		return m, m.handleKey(msg)
	case common.StatusMsg:
		m.status = msg
		return m, nil
	case common.SwitchScreenMsg:
		m.show(msg.Screen)
		return m, nil
	case common.ConnectedMsg:
		return m, m.onConnected(msg)
	case common.UseLocalMsg:
		m.show(common.ScreenFiles)
		m.browser.SetActive(msg.Side)
		return m, m.browser.SetSource(msg.Side, browser.Local{FS: m.opts.LocalFS})
	case browser.QueuedMsg:
		return m, m.onQueued(msg)
	case transfers.CompletedMsg:
		return m, m.browser.Reload()
	case watchStartedMsg:
		return m, m.onWatchStarted(msg)
	case watchEventMsg:
		return m, m.onWatchEvent(msg)
	case tickMsg:
		cmds := []tea.Cmd{m.tick()}
		if len(m.sessions) > 0 {
			cmds = append(cmds, m.transfers.Refresh())
		}
		return m, tea.Batch(cmds...)
	}
	return m, m.route(msg)
}

// route gives a message to the screen that owns its type. Messages of
// unknown type (spinner ticks, results) go to every screen: each ignores
// what is not its own.
func (m *Model) route(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for _, c := range []common.Component{m.locations, m.browser, m.transfers, m.events, m.info} {
		_, cmd := c.Update(msg)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

func (m *Model) handleKey(k tea.KeyMsg) tea.Cmd {
	km := m.Keys
	if key.Matches(k, km.ForceQuit) {
		m.quitting = true
		return tea.Quit
	}
	armed := m.quitArmed
	m.quitArmed = false
	if !m.inputFocused() {
		switch {
		case key.Matches(k, km.Quit):
			if n := m.runningDirect(); n > 0 && !armed {
				m.quitArmed = true
				m.status = common.StatusMsg{Kind: common.StatusWarn, Text: fmt.Sprintf(
					"%d upload(s)/download(s) of this program still running: q again cancels them and quits", n)}
				return nil
			}
			m.quitting = true
			return tea.Quit
		case key.Matches(k, km.Help):
			m.help.ShowAll = !m.help.ShowAll
			m.layout()
			return nil
		case key.Matches(k, km.Locations):
			m.show(common.ScreenLocations)
			return nil
		case key.Matches(k, km.Files):
			m.show(common.ScreenFiles)
			return nil
		case key.Matches(k, km.Transfers):
			m.show(common.ScreenTransfers)
			return m.transfers.Refresh()
		case key.Matches(k, km.Events):
			m.show(common.ScreenEvents)
			return nil
		case key.Matches(k, km.Info):
			m.show(common.ScreenInfo)
			return nil
		}
	}
	_, cmd := m.current().Update(k)
	m.layout() // a dialog may have changed the help bar's height
	return cmd
}

// runningCounter is implemented by Clients that run transfers in this
// process (tui/direct.Client).
type runningCounter interface{ Running() int }

// runningDirect is the number of transfers that quitting would cancel.
func (m *Model) runningDirect() int {
	n := 0
	for _, s := range m.sessions {
		if rc, ok := s.Client.(runningCounter); ok {
			n += rc.Running()
		}
	}
	return n
}

func (m *Model) show(s common.Screen) {
	m.screen = s
	m.layout()
}

// onConnected installs a new session (or reuses one) in a pane.
func (m *Model) onConnected(msg common.ConnectedMsg) tea.Cmd {
	s := msg.Session
	cmds := []tea.Cmd{}
	if !msg.Reused {
		m.sessions = append(m.sessions, s)
		cmds = append(cmds, m.setSessions(), m.startWatch(s))
	}
	m.show(common.ScreenFiles)
	m.browser.SetActive(msg.Side)
	cmds = append(cmds, m.browser.SetSource(msg.Side, browser.Remote{S: s}))
	if msg.Notice != "" {
		m.status = common.StatusMsg{Kind: common.StatusWarn, Text: msg.Notice}
	} else {
		m.status = common.StatusMsg{Kind: common.StatusOK, Text: fmt.Sprintf("connected to %s in the %s pane", s.Key, msg.Side)}
	}
	return tea.Batch(cmds...)
}

// setSessions tells every screen the sessions changed.
func (m *Model) setSessions() tea.Cmd {
	m.locations.SetSessions(m.sessions)
	return tea.Batch(m.transfers.SetSessions(m.sessions), m.events.SetSessions(m.sessions), m.info.SetSessions(m.sessions))
}

// dropSession forgets a session whose connection is gone.
func (m *Model) dropSession(key string) tea.Cmd {
	var cmds []tea.Cmd
	kept := m.sessions[:0]
	for _, s := range m.sessions {
		if s.Key != key {
			kept = append(kept, s)
			continue
		}
		cmds = append(cmds, closeCmd(s.Client))
		for _, side := range []common.Side{common.Left, common.Right} {
			if src := m.browser.SourceOf(side); src.Session() != nil && src.Session().Key == key {
				cmds = append(cmds, m.browser.SetSource(side, browser.Local{FS: m.opts.LocalFS}))
			}
		}
	}
	m.sessions = kept
	if w, ok := m.watches[key]; ok {
		w.Close()
		delete(m.watches, key)
	}
	return tea.Batch(append(cmds, m.setSessions())...)
}

// closeCmd closes a lost session's client off the update loop: a client
// with transfers of its own (tui/direct) may take a moment to stop them.
// Its error is dropped: the status line already says the connection is
// lost.
func closeCmd(c common.Client) tea.Cmd {
	return common.SafeCmd(func() tea.Msg {
		_ = c.Close()
		return nil
	}, func(error) tea.Msg { return nil })
}

func (m *Model) onQueued(msg browser.QueuedMsg) tea.Cmd {
	if msg.Err != nil {
		return common.Fail(fmt.Sprintf("queue %s of %d item(s) on %s", msg.Direction, msg.Files, msg.SessionKey), msg.Err)
	}
	return tea.Batch(
		m.transfers.Expect(msg.SessionKey, msg.ID),
		common.OK("queued %s of %d item(s) on %s: transfer %s (3 = transfers)", msg.Direction, msg.Files, msg.SessionKey, msg.ID),
		m.transfers.Refresh(),
	)
}
