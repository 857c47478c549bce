package locations

import (
	"errors"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/jetstream-go/jetstream/tui/common"
	"github.com/jetstream-go/jetstream/tui/keys"
	"github.com/jetstream-go/jetstream/tui/styles"
	"github.com/jetstream-go/jetstream/tui/tuitest"
)

type env struct {
	t    *testing.T
	m    *Model
	st   *tuitest.Store
	conn *tuitest.Connector
	msgs []tea.Msg
}

func newEnv(t *testing.T) *env {
	st := &tuitest.Store{Locs: []common.Location{{Name: "alpha", Address: "a.example", User: "bob"}}}
	conn := &tuitest.Connector{Clients: map[string]*tuitest.Client{"alpha": tuitest.NewClient()}, Password: "pw"}
	c := common.NewCommon(common.Common{Styles: styles.NoColorStyles(), Keys: keys.DefaultKeyMap()})
	e := &env{t: t, m: New(c, st, conn), st: st, conn: conn}
	e.m.SetSize(80, 24)
	e.run(e.m.Init())
	return e
}

func (e *env) run(cmd tea.Cmd) {
	tuitest.Drive(e.t, func(msg tea.Msg) tea.Cmd {
		switch msg.(type) {
		case common.StatusMsg, common.ConnectedMsg, common.UseLocalMsg, common.SwitchScreenMsg:
			e.msgs = append(e.msgs, msg)
			return nil
		}
		_, c := e.m.Update(msg)
		return c
	}, cmd)
}

func (e *env) keys(ks ...string) {
	for _, k := range ks {
		var msg tea.KeyMsg
		switch k {
		case "enter":
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		case "esc":
			msg = tea.KeyMsg{Type: tea.KeyEsc}
		case "tab":
			msg = tea.KeyMsg{Type: tea.KeyTab}
		case "ctrl+u":
			msg = tea.KeyMsg{Type: tea.KeyCtrlU}
		default:
			msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		}
		_, c := e.m.Update(msg)
		e.run(c)
	}
}

func (e *env) typeText(s string) {
	for _, r := range s {
		e.keys(string(r))
	}
}

func (e *env) last() tea.Msg { return e.msgs[len(e.msgs)-1] }

func TestAddEditDelete(t *testing.T) {
	e := newEnv(t)
	e.keys("a")
	e.typeText("beta")
	e.keys("tab")
	e.typeText("b.example")
	e.keys("tab")
	e.typeText("99999")
	e.keys("enter")
	if e.m.form == nil || !strings.Contains(e.m.View(), "API port") {
		t.Fatalf("a bad port was accepted:\n%s", e.m.View())
	}
	e.keys("ctrl+u")
	e.typeText("9000")
	e.keys("enter")
	saved := e.st.Saved()
	if len(saved) != 2 || saved[1] != (common.Location{Name: "beta", Address: "b.example", APIPort: 9000}) {
		t.Fatalf("saved = %+v", saved)
	}
	if it := e.m.items()[e.m.cursor]; it.Name != "beta" {
		t.Errorf("cursor on %q after saving", it.Name)
	}
	// Renaming onto an existing name is refused.
	e.keys("e", "ctrl+u")
	e.typeText("alpha")
	e.keys("enter")
	if e.m.form == nil || !strings.Contains(e.m.View(), "exists already") {
		t.Errorf("a duplicate name was accepted:\n%s", e.m.View())
	}
	e.keys("esc")
	// Delete asks, then removes.
	e.keys("d", "n")
	if len(e.st.Saved()) != 2 {
		t.Fatal("deleted after n")
	}
	e.keys("d", "y")
	if s := e.st.Saved(); len(s) != 1 || s[0].Name != "alpha" {
		t.Errorf("after delete: %+v", s)
	}
	// A failing store reports and keeps the list.
	e.st.Err = errors.New("read-only file system")
	e.keys("a")
	e.typeText("gamma")
	e.keys("enter")
	if st, ok := e.last().(common.StatusMsg); !ok || !strings.Contains(st.Text, "read-only") {
		t.Errorf("save failure: %#v", e.last())
	}
	if len(e.m.saved) != 1 {
		t.Errorf("the list changed although saving failed: %+v", e.m.saved)
	}
}

func TestConnectFlows(t *testing.T) {
	e := newEnv(t)
	e.keys("enter") // local
	if u, ok := e.last().(common.UseLocalMsg); !ok || u.Side != common.Right {
		t.Fatalf("enter on local: %#v", e.last())
	}
	e.keys("j", "o")
	if e.m.prompt == nil {
		t.Fatal("no password prompt")
	}
	e.keys("esc")
	if e.m.prompt != nil || e.m.pending != nil {
		t.Fatal("esc kept the prompt")
	}
	e.keys("o")
	e.typeText("pw")
	e.keys("enter")
	c, ok := e.last().(common.ConnectedMsg)
	if !ok || c.Side != common.Left || c.Session.Key != "alpha" || c.Session.Password != "pw" {
		t.Fatalf("connect: %#v", e.last())
	}
	req := e.conn.Requests[len(e.conn.Requests)-1]
	if req.Location.Name != "alpha" || req.Password != "pw" || req.OnPin == nil {
		t.Errorf("request = %+v", req)
	}
	// Connected sessions are reused without a password.
	e.m.SetSessions([]*common.Session{c.Session})
	n := len(e.conn.Requests)
	e.keys("enter")
	if c2, ok := e.last().(common.ConnectedMsg); !ok || !c2.Reused || len(e.conn.Requests) != n {
		t.Errorf("reuse: %#v", e.last())
	}
	if !strings.Contains(e.m.View(), "●") {
		t.Error("no connected marker")
	}
	// Unreachable servers report in the prompt; esc gives up.
	e.m.SetSessions(nil)
	e.conn.Err = errors.New("connection refused")
	e.keys("enter")
	e.typeText("pw")
	e.keys("enter")
	if !strings.Contains(e.m.View(), "connection refused") {
		t.Errorf("no error in the prompt:\n%s", e.m.View())
	}
	e.keys("esc", "esc")
	if sw, ok := e.last().(common.SwitchScreenMsg); !ok || sw.Screen != common.ScreenFiles {
		t.Errorf("esc on the list: %#v", e.last())
	}
}

func TestAddTargetAndLoadError(t *testing.T) {
	e := newEnv(t)
	e.m.AddTarget(common.Location{Address: "h.example", User: "u"})
	items := e.m.items()
	if e.m.cursor != len(items)-1 || items[e.m.cursor].Label() != "u@h.example" || !strings.Contains(e.m.View(), "(not saved)") {
		t.Errorf("ad-hoc target: cursor %d items %+v", e.m.cursor, items)
	}
	e.m.AddTarget(common.Location{Name: "alpha"})
	if e.m.items()[e.m.cursor].Name != "alpha" {
		t.Error("a saved name was not selected")
	}
	e.keys("k", "k", "k", "e")
	if e.m.form != nil {
		t.Error("the local entry opened an editor")
	}
	e.st.Err = errors.New("bad toml")
	e.run(e.m.Init())
	if !strings.Contains(e.m.View(), "cannot read saved locations: bad toml") {
		t.Errorf("load error not shown:\n%s", e.m.View())
	}
}
