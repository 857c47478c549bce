package transfers

import (
	"encoding/json"
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

type env struct {
	t      *testing.T
	m      *Model
	srv    *tuitest.Client
	status []common.StatusMsg
}

func newEnv(t *testing.T, ts ...api.Transfer) *env {
	srv := tuitest.NewClient()
	srv.SetTransfers(ts...)
	c := common.NewCommon(common.Common{Styles: styles.NoColorStyles(), Keys: keys.DefaultKeyMap(),
		Now: func() time.Time { return t0 }, TZ: time.UTC})
	e := &env{t: t, m: New(c), srv: srv}
	e.m.SetSize(100, 30)
	e.run(e.m.SetSessions([]*common.Session{{Key: "srv", Client: srv}}))
	return e
}

func (e *env) run(cmd tea.Cmd) {
	tuitest.Drive(e.t, func(msg tea.Msg) tea.Cmd {
		if s, ok := msg.(common.StatusMsg); ok {
			e.status = append(e.status, s)
			return nil
		}
		_, c := e.m.Update(msg)
		return c
	}, cmd)
}

func (e *env) key(ks ...string) {
	for _, k := range ks {
		msg := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		if k == "enter" {
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		}
		_, c := e.m.Update(msg)
		e.run(c)
	}
}

func (e *env) last() common.StatusMsg { return e.status[len(e.status)-1] }

func ids(m *Model) []string {
	var out []string
	for _, r := range m.rows {
		out = append(out, r.t.TransferID)
	}
	return out
}

func TestOrderAndActions(t *testing.T) {
	e := newEnv(t,
		api.Transfer{TransferID: "done", Status: api.TransferComplete, RequestTime: 9},
		api.Transfer{TransferID: "low", Status: api.TransferPending, Priority: api.DefaultPriority, RequestTime: 5},
		api.Transfer{TransferID: "high", Status: api.TransferPending, Priority: 2, RequestTime: 1},
		api.Transfer{TransferID: "run", Status: api.TransferActive, CurrentRate: 1000, TotalBytes: 100},
		api.Transfer{TransferID: ""},
	)
	if got := strings.Join(ids(e.m), " "); got != "run high low done" {
		t.Fatalf("order = %s", got)
	}
	e.key("p")
	if e.srv.CallLog()[len(e.srv.CallLog())-2] != "TransferAction suspend run" {
		t.Errorf("suspend: %v", e.srv.CallLog())
	}
	if got := strings.Join(ids(e.m), " "); got != "high low run done" {
		t.Errorf("after suspend (refreshed): %s", got)
	}
	if e.m.current().t.TransferID != "run" {
		t.Errorf("the cursor did not follow its row: on %s", e.m.current().t.TransferID)
	}
	e.key("r")
	if e.m.current().t.Status != api.TransferActive {
		t.Errorf("resume: %+v", e.m.current().t)
	}
	e.key("j", "+")
	if tr := e.m.byKey["srv\x00high"]; tr == nil || tr.t.Priority != 1 {
		t.Errorf("priority up (more urgent = lower number): %+v", tr)
	}
	e.srv.SetErr("SetPriority", api.Errorf(api.CodeNotEnabled, "cannot change priorities"))
	e.key("-")
	if st := e.last(); st.Kind != common.StatusError || !strings.Contains(st.Text, "set priority of high to 2: cannot change priorities") {
		t.Errorf("priority error status = %+v", st)
	}
	// Cancel asks first.
	e.key("x")
	if !e.m.InputFocused() || !strings.Contains(e.m.View(), "Cancel transfer") {
		t.Fatal("cancel did not ask")
	}
	e.key("n")
	if strings.Contains(strings.Join(e.srv.CallLog(), ","), "TransferAction cancel") {
		t.Fatal("cancelled after n")
	}
	e.key("x", "y")
	if !strings.Contains(strings.Join(e.srv.CallLog(), ","), "TransferAction cancel high") {
		t.Errorf("cancel: %v", e.srv.CallLog())
	}
}

func TestProgressEventsAndSnapshots(t *testing.T) {
	e := newEnv(t, api.Transfer{TransferID: "a", Status: api.TransferActive, TotalBytes: 1000, CurrentRate: 10, SnapshotTime: 100})
	r := e.m.byKey["srv\x00a"]
	ev := func(snap int64, rate float64, acked int64) api.Event {
		return api.Event{Name: ProgressEventName, Fields: map[string]any{"transferId": "a", "snapshotTime": float64(snap),
			"currentRate": rate, "bytesAcked": float64(acked)}}
	}
	e.run(e.m.OnEvent("srv", ev(200, 20, 500)))
	e.run(e.m.OnEvent("srv", ev(300, 30, 600)))
	if r.t.BytesAcked != 600 || r.t.CurrentRate != 30 || len(r.hist.Values()) != 3 {
		t.Errorf("after events: %+v, history %v", r.t, r.hist.Values())
	}
	// An older listing does not undo the events; the same snapshot adds no sample.
	e.run(e.m.Refresh())
	if r.t.BytesAcked != 600 || len(r.hist.Values()) != 3 {
		t.Errorf("a stale listing was applied: %+v, history %v", r.t, r.hist.Values())
	}
	// Events of other sessions, without ids or with bad fields change nothing.
	e.run(e.m.OnEvent("other", ev(400, 40, 700)))
	e.run(e.m.OnEvent("srv", api.Event{Name: ProgressEventName, Fields: map[string]any{"transferId": "a", "bytesAcked": "lots"}}))
	e.run(e.m.OnEvent("srv", api.Event{Name: ProgressEventName, Fields: map[string]any{}}))
	if r.t.BytesAcked != 600 {
		t.Errorf("a bad event changed the row: %+v", r.t)
	}
	// A new transfer seen first in an event gets a row; a state event refreshes.
	e.run(e.m.OnEvent("srv", api.Event{Name: ProgressEventName, Fields: map[string]any{"transferId": "b", "status": "active"}}))
	if e.m.byKey["srv\x00b"] == nil {
		t.Error("no row for a transfer first seen in an event")
	}
	before := len(e.srv.CallLog())
	e.run(e.m.OnEvent("srv", api.Event{Name: "transferCompleted", Fields: map[string]any{"transferId": "a"}}))
	if len(e.srv.CallLog()) == before {
		t.Error("a transfer event did not refresh the list")
	}
	if e.m.byKey["srv\x00b"] != nil {
		t.Error("a row the server no longer lists was kept")
	}
}

func TestDetailsAndErrors(t *testing.T) {
	msg := "disk full"
	e := newEnv(t, api.Transfer{TransferID: "a", ManifestID: "m", Status: api.TransferError, ErrorMessage: &msg,
		StartTime: ptr(t0.Add(-time.Minute).UnixMicro())})
	e.srv.Files["m"] = []api.FileMapping{{SrcPath: "/x/f1", DestPath: "f1", FileSize: 5}}
	e.key("enter")
	v := e.m.View()
	for _, want := range []string{"Error    disk full", "/x/f1 → f1", "elapsed 1m00s"} {
		if !strings.Contains(v, want) {
			t.Errorf("details lack %q:\n%s", want, v)
		}
	}
	e.srv.SetErr("Transfers", errors.New("down"))
	e.run(e.m.Refresh())
	if st := e.last(); st.Kind != common.StatusError || !strings.Contains(st.Text, "down") {
		t.Errorf("list failure = %+v", st)
	}
	e.run(e.m.SetSessions(nil))
	if len(e.m.rows) != 0 || !strings.Contains(e.m.View(), "Not connected") {
		t.Errorf("rows of a gone session stayed: %v", ids(e.m))
	}
}

func TestRowMaths(t *testing.T) {
	if p := retransmitPercent(api.Transfer{BlocksSent: 200, BlocksRetransmitted: 10}); p != 5 {
		t.Errorf("retransmit = %v", p)
	}
	if p := retransmitPercent(api.Transfer{BlocksSent: 0, BlocksRetransmitted: 10}); p != 0 {
		t.Errorf("retransmit without sends = %v", p)
	}
	if d := done(api.Transfer{Status: api.TransferComplete, TotalBytes: 7}); d != 7 {
		t.Errorf("done of complete = %d", d)
	}
	if d := done(api.Transfer{BytesAcked: -5}); d != 0 {
		t.Errorf("done negative = %d", d)
	}
	for s, want := range map[string]string{api.TransferPending: "queued", api.TransferComplete: "done", api.TransferError: "-"} {
		if got := eta(api.Transfer{Status: s}, 0); got != want {
			t.Errorf("eta(%s) = %q", s, got)
		}
	}
}

// FuzzApplyEvent: whatever fields an event carries, merging it neither
// panics nor changes the transfer's identity, and a failed decode leaves
// the row exactly as it was.
func FuzzApplyEvent(f *testing.F) {
	for _, s := range []string{`{"transferId":"a","bytesAcked":5}`, `{"transferId":"a","bytesAcked":"x"}`,
		`{"transferId":"a","userData":{"k":1}}`, `{"transferId":1}`, `{}`, `{"transferId":"a","errorMessage":null}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, fields string) {
		var ev api.Event
		if err := json.Unmarshal([]byte(fields), &ev.Fields); err != nil {
			return
		}
		ev.Name = ProgressEventName
		orig := api.Transfer{TransferID: "a", BytesAcked: 1, UserData: map[string]any{"keep": "me"}}
		tr := orig
		tr.UserData = map[string]any{"keep": "me"}
		ok := applyEvent(&tr, ev)
		if tr.TransferID != "a" {
			t.Fatalf("id changed to %q", tr.TransferID)
		}
		if !ok {
			b1, _ := json.Marshal(tr)
			b2, _ := json.Marshal(orig)
			if string(b1) != string(b2) {
				t.Fatalf("a refused event changed the row: %s", b1)
			}
		}
		if _, ok := transferOf(ev); ok && ev.Fields["transferId"] == "" {
			t.Fatal("a transfer without id")
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestCompletedReported(t *testing.T) {
	e := newEnv(t, api.Transfer{TransferID: "a", Status: api.TransferActive}, api.Transfer{TransferID: "old", Status: api.TransferComplete})
	e.m.Expect("srv", "b")
	e.m.Expect("srv", "gone")
	e.srv.SetTransfers(
		api.Transfer{TransferID: "a", Status: api.TransferComplete},   // seen running, now complete
		api.Transfer{TransferID: "old", Status: api.TransferComplete}, // complete all along
		api.Transfer{TransferID: "b", Status: api.TransferComplete},   // queued here, first seen complete
		api.Transfer{TransferID: "c", Status: api.TransferComplete},   // someone else's
		api.Transfer{TransferID: "gone", Status: api.TransferError},   // queued here, failed
	)
	var got []CompletedMsg
	tuitest.Drive(t, func(msg tea.Msg) tea.Cmd {
		if c, ok := msg.(CompletedMsg); ok {
			got = append(got, c)
			return nil
		}
		_, cmd := e.m.Update(msg)
		return cmd
	}, e.m.Refresh())
	if len(got) != 1 || got[0].SessionKey != "srv" || strings.Join(got[0].IDs, " ") != "a b" {
		t.Fatalf("completed = %+v, want a and b on srv", got)
	}
	if len(e.m.expected) != 0 {
		t.Errorf("expectations left: %v", e.m.expected)
	}
	got = nil
	tuitest.Drive(t, func(msg tea.Msg) tea.Cmd {
		if c, ok := msg.(CompletedMsg); ok {
			got = append(got, c)
		}
		_, cmd := e.m.Update(msg)
		return cmd
	}, e.m.Refresh())
	if len(got) != 0 {
		t.Errorf("a second listing reported again: %+v", got)
	}
	// Queued, but a listing showed it complete before the queue message
	// came: reported at once.
	cmd := e.m.Expect("srv", "c")
	if cmd == nil {
		t.Fatal("Expect of a row already complete reported nothing")
	}
	if msg, ok := cmd().(CompletedMsg); !ok || msg.IDs[0] != "c" {
		t.Errorf("Expect reported %+v", msg)
	}
	if e.m.Expect("srv", "") != nil || e.m.Expect("srv", "new") != nil {
		t.Error("Expect reported a transfer not seen complete")
	}
}
