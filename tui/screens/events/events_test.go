package events

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/tui/common"
	"github.com/jetstream-go/jetstream/tui/keys"
	"github.com/jetstream-go/jetstream/tui/styles"
	"github.com/jetstream-go/jetstream/tui/tuitest"
)

var t0 = time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)

func setup(t *testing.T, log ...api.Event) (*Model, *tuitest.Client, *[]common.StatusMsg) {
	srv := tuitest.NewClient()
	srv.Log = log
	c := common.NewCommon(common.Common{Styles: styles.NoColorStyles(), Keys: keys.DefaultKeyMap(), TZ: time.UTC})
	m := New(c)
	m.SetSize(100, 6)
	var status []common.StatusMsg
	drive := func(cmd tea.Cmd) {
		tuitest.Drive(t, func(msg tea.Msg) tea.Cmd {
			if s, ok := msg.(common.StatusMsg); ok {
				status = append(status, s)
				return nil
			}
			_, c := m.Update(msg)
			return c
		}, cmd)
	}
	drive(m.SetSessions([]*common.Session{{Key: "srv", Client: srv}}))
	return m, srv, &status
}

func ev(name string, at time.Duration, seq uint64, fields map[string]any) api.Event {
	return api.Event{Name: name, Timestamp: t0.Add(at).UnixMicro(), Seq: seq, Fields: fields}
}

func texts(m *Model) []string {
	var out []string
	for _, i := range m.visible {
		out = append(out, m.rows[i].ev.Name)
	}
	return out
}

func TestMergeFollowFilter(t *testing.T) {
	m, _, _ := setup(t, ev("a", 0, 1, nil), ev("b", time.Minute, 2, map[string]any{"transferId": "t1", "n": 2.0}))
	// A live event that the log also holds is not shown twice.
	m.Add("srv", ev("c", 2*time.Minute, 3, nil))
	m.Update(loggedMsg{key: "srv", events: []api.Event{ev("a", 0, 1, nil), ev("b", time.Minute, 2, map[string]any{"transferId": "t1"}),
		ev("c", 2*time.Minute, 3, nil)}})
	if got := strings.Join(texts(m), ","); got != "a,b,c" {
		t.Errorf("merged = %s", got)
	}
	if m.cursor != 2 || !m.follow {
		t.Errorf("not following the newest: cursor %d", m.cursor)
	}
	for i := 0; i < 10; i++ {
		m.Add("srv", ev("live", time.Duration(3+i)*time.Minute, uint64(10+i), nil))
	}
	if m.cursor != len(m.visible)-1 || !strings.Contains(m.View(), "following") {
		t.Errorf("follow lost: cursor %d of %d", m.cursor, len(m.visible))
	}
	m.Update(tea.KeyMsg{Type: tea.KeyUp})
	m.Add("srv", ev("later", time.Hour, 99, nil))
	if m.follow || m.cursor == len(m.visible)-1 {
		t.Error("scrolling up did not stop following")
	}
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/")})
	for _, r := range "transferid=t1" {
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	if got := strings.Join(texts(m), ","); got != "b" {
		t.Errorf("filtered = %s", got)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyEsc})
	if len(m.visible) != len(m.rows) {
		t.Error("esc did not clear the filter")
	}
}

func TestRenderAndLimits(t *testing.T) {
	m, srv, status := setup(t)
	m.Add("srv", ev("x\x1b[31m", 0, 1, map[string]any{"k": "v\nw", "obj": map[string]any{"a": 1.0}, "nil": nil}))
	line := m.rows[0].text
	if strings.Contains(line, "\x1b") || !strings.Contains(line, "k=v w") || !strings.Contains(line, `obj={"a":1}`) ||
		!strings.Contains(line, "nil=null") || !strings.HasPrefix(line, "2026-03-14 12:00:00") {
		t.Errorf("rendered = %q", line)
	}
	for i := 0; i < MaxRows+10; i++ {
		m.Add("srv", ev("e", time.Duration(i), uint64(i+2), nil))
	}
	if len(m.rows) != MaxRows {
		t.Errorf("rows = %d, want the newest %d", len(m.rows), MaxRows)
	}
	srv.SetErr("EventLog", errors.New("no log"))
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyCtrlR})
	tuitest.Drive(t, func(msg tea.Msg) tea.Cmd {
		if s, ok := msg.(common.StatusMsg); ok {
			*status = append(*status, s)
			return nil
		}
		_, c := m.Update(msg)
		return c
	}, cmd)
	if len(*status) == 0 || !strings.Contains((*status)[len(*status)-1].Text, "no log") {
		t.Errorf("log failure not reported: %+v", *status)
	}
	m.SetSessions(nil)
	if len(m.rows) != 0 || !strings.Contains(m.View(), "Not connected") {
		t.Error("rows of a gone session stayed")
	}
}
