package info

import (
	"errors"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/tui/common"
	"github.com/jetstream-go/jetstream/tui/keys"
	"github.com/jetstream-go/jetstream/tui/styles"
	"github.com/jetstream-go/jetstream/tui/tuitest"
)

func TestInfo(t *testing.T) {
	a, b := tuitest.NewClient(), tuitest.NewClient()
	a.Info = api.ServerInfo{ServerName: "alpha", Version: "1.2.3", PublicKey: "KEY\x1b[2J", UserName: "bob", Superuser: true,
		MinCipher: 9, Sandbox: map[string]string{"": "/srv", "x": "/x"}}
	b.SetErr("ServerInfo", errors.New("refused"))
	c := common.NewCommon(common.Common{Styles: styles.NoColorStyles(), Keys: keys.DefaultKeyMap()})
	m := New(c)
	m.SetSize(100, 40)
	drive := func(cmd tea.Cmd) {
		tuitest.Drive(t, func(msg tea.Msg) tea.Cmd { _, c := m.Update(msg); return c }, cmd)
	}
	drive(m.SetSessions([]*common.Session{{Key: "a", Client: a}, {Key: "b", Client: b}}))
	v := m.View()
	for _, want := range []string{"1.2.3", "bob (superuser)", "KEY?[2J", "unknown (9)", "(default) → /srv", "x → /x",
		"not shown to this user", "error: refused"} {
		if !strings.Contains(v, want) {
			t.Errorf("info lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "\x1b[2J") {
		t.Error("a control sequence from the server reached the view")
	}
	if _, ok := m.Info("a"); !ok {
		t.Error("Info(a) missing")
	}
	m.SetSize(40, 5)
	m.Update(tea.KeyMsg{Type: tea.KeyPgDown})
	if m.vp.YOffset == 0 {
		t.Error("page down did not scroll")
	}
}
