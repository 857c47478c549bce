// Package info is the server info view: version, keys, sandbox and limits
// of every connected server (getServerInfo).
package info

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/tui/common"
	"github.com/jetstream-go/jetstream/tui/format"
)

// Model is the server info screen.
type Model struct {
	common.Common
	sessions []*common.Session
	infos    map[string]api.ServerInfo
	errs     map[string]string
	vp       viewport.Model
}

// infoMsg carries one server's info.
type infoMsg struct {
	key  string
	info api.ServerInfo
	err  error
}

// New returns an empty info screen.
func New(c common.Common) *Model {
	return &Model{Common: c, infos: map[string]api.ServerInfo{}, errs: map[string]string{}, vp: viewport.New(0, 0)}
}

// Init implements common.Component.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize implements common.Component.
func (m *Model) SetSize(w, h int) {
	m.Common.SetSize(w, h)
	m.vp.Width, m.vp.Height = w, h
	m.render()
}

// Help implements common.Component.
func (m *Model) Help() help.KeyMap { return m.Keys.InfoHelp() }

// SetSessions sets the servers shown and fetches their info.
func (m *Model) SetSessions(ss []*common.Session) tea.Cmd {
	m.sessions = append(m.sessions[:0:0], ss...)
	m.render()
	return m.Refresh()
}

// Info returns a fetched server info.
func (m *Model) Info(key string) (api.ServerInfo, bool) {
	i, ok := m.infos[key]
	return i, ok
}

// Refresh fetches the info of every server.
func (m *Model) Refresh() tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(m.sessions))
	for _, s := range m.sessions {
		s := s
		ctx, cancel := m.CallCtx()
		cmds = append(cmds, common.SafeCmd(func() tea.Msg {
			defer cancel()
			i, err := s.Client.ServerInfo(ctx)
			return infoMsg{key: s.Key, info: i, err: err}
		}, func(err error) tea.Msg {
			cancel()
			return infoMsg{key: s.Key, err: err}
		}))
	}
	return tea.Batch(cmds...)
}

// Update implements common.Component.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case infoMsg:
		if msg.err != nil {
			m.errs[msg.key] = msg.err.Error()
		} else {
			m.infos[msg.key] = msg.info
			delete(m.errs, msg.key)
		}
		m.render()
	case tea.KeyMsg:
		km := m.Keys
		switch {
		case key.Matches(msg, km.Reload):
			return m, m.Refresh()
		case key.Matches(msg, km.Up):
			m.vp.ScrollUp(1)
		case key.Matches(msg, km.Down):
			m.vp.ScrollDown(1)
		case key.Matches(msg, km.PageUp):
			m.vp.PageUp()
		case key.Matches(msg, km.PageDown):
			m.vp.PageDown()
		case key.Matches(msg, km.Top):
			m.vp.GotoTop()
		case key.Matches(msg, km.Bottom):
			m.vp.GotoBottom()
		}
	}
	return m, nil
}

// View implements common.Component.
func (m *Model) View() string {
	if m.Width <= 0 || m.Height <= 0 {
		return ""
	}
	return m.vp.View()
}

func (m *Model) render() {
	st := m.Styles
	var lines []string
	if len(m.sessions) == 0 {
		lines = append(lines, st.Dim.Render("Not connected: pick a server in the locations screen (1)."))
	}
	for i, s := range m.sessions {
		if i > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, st.DialogTitle.Render(format.Sanitize(s.Key))+st.Dim.Render("  "+format.Sanitize(s.Location.Target())))
		if e, ok := m.errs[s.Key]; ok {
			lines = append(lines, st.StatusError.Render("  error: "+format.Sanitize(e)))
			continue
		}
		si, ok := m.infos[s.Key]
		if !ok {
			lines = append(lines, st.Dim.Render("  loading…"))
			continue
		}
		for _, kv := range fields(si) {
			lines = append(lines, "  "+st.Label.Render(format.PadRight(kv[0], 24))+st.Value.Render(format.Sanitize(kv[1])))
		}
	}
	for i, l := range lines {
		lines[i] = format.Fit(l, max(m.Width, 1))
	}
	m.vp.SetContent(strings.Join(lines, "\n"))
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

var cipherNames = []string{"none", "authenticate only", "AES-128-GCM", "AES-256-GCM"}

func cipherName(n int) string {
	if n >= 0 && n < len(cipherNames) {
		return cipherNames[n]
	}
	return fmt.Sprintf("unknown (%d)", n)
}

// fields lists what the view shows, in order.
func fields(si api.ServerInfo) [][2]string {
	user := si.UserName
	if si.Superuser {
		user += " (superuser)"
	}
	f := [][2]string{
		{"Server name", si.ServerName},
		{"Host name", si.HostName},
		{"Server ID", si.ServerID},
		{"Server UID", si.ServerUID},
		{"Version", strings.TrimSpace(si.Version + " " + si.Revision)},
		{"API version", fmt.Sprintf("%d (this TUI: %d)", si.APIVersion, api.APIVersion)},
		{"Logged in as", user},
		{"API port", fmt.Sprint(si.APIControlPort)},
		{"Receive port (UDP)", fmt.Sprint(si.Receiver.RecvPort)},
		{"External address", si.ServerExternalAddress},
		{"Remote control", yes(si.AllowRemoteControl)},
		{"Public key", si.PublicKey},
		{"Encryption", yes(si.EncryptionAvailable) + ", minimum " + cipherName(si.MinCipher)},
		{"Authorized senders only", yes(si.Receiver.OnlyAuthorizedClientsAllowed)},
		{"Event log", yes(si.EventLogAvailable)},
		{"Licence", si.License.Message},
	}
	if len(si.Sandbox) == 0 {
		f = append(f, [2]string{"Sandbox", "none (whole file system)"})
	}
	names := make([]string, 0, len(si.Sandbox))
	for n := range si.Sandbox {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, n := range names {
		label := ""
		if i == 0 {
			label = "Sandbox"
		}
		root := n
		if root == "" {
			root = "(default)"
		}
		f = append(f, [2]string{label, root + " → " + si.Sandbox[n]})
	}
	if bl := si.BandwidthLimits; bl != nil {
		f = append(f,
			[2]string{"Incoming limit", limit(bl.IncomingLimitActive, bl.IncomingRateLimit, bl.BorrowOutgoing, bl.IncomingMaxConnections)},
			[2]string{"Outgoing limit", limit(bl.OutgoingLimitActive, bl.OutgoingRateLimit, bl.BorrowIncoming, 0)},
		)
		if len(bl.Locked) > 0 {
			f = append(f, [2]string{"Locked limits", strings.Join(bl.Locked, ", ")})
		}
	} else {
		f = append(f, [2]string{"Bandwidth limits", "not shown to this user"})
	}
	out := f[:0]
	for _, kv := range f {
		if kv[1] != "" {
			out = append(out, kv)
		}
	}
	return out
}

func limit(active bool, kbps float64, borrow bool, conns int) string {
	if !active {
		return "off"
	}
	s := format.Rate(kbps)
	if borrow {
		s += ", borrows unused capacity"
	}
	if conns > 0 {
		s += fmt.Sprintf(", at most %d connections", conns)
	}
	return s
}
