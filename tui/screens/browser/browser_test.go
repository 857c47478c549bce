package browser

import (
	"errors"
	"reflect"
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
	fs     *tuitest.FS
	srv    *tuitest.Client
	sess   *common.Session
	status []common.StatusMsg
	queued []QueuedMsg
}

func newEnv(t *testing.T) *env {
	fs := tuitest.NewFS("/home/ana")
	fs.Set("/home/ana", tuitest.Dir("docs", t0), tuitest.File("a.txt", 10, t0), tuitest.File("b.txt", 20, t0), tuitest.File(".env", 1, t0))
	fs.Set("/home/ana/docs", tuitest.File("c.txt", 30, t0))
	fs.Sizes["/home/ana/docs"] = 30
	fs.Sizes["/home/ana/a.txt"] = 10
	srv := tuitest.NewClient()
	srv.Roots = []api.FileEntry{{Name: "data", Type: api.FileTypeRoot}}
	srv.SetDir("data:/", tuitest.Entries(t0.Unix(), "in/", "a.txt")...)
	srv.SetDir("data:/in")
	c := common.NewCommon(common.Common{Styles: styles.NoColorStyles(), Keys: keys.DefaultKeyMap(),
		Now: func() time.Time { return t0 }, TZ: time.UTC})
	e := &env{t: t, m: New(c, fs), fs: fs, srv: srv, sess: &common.Session{Key: "srv", Client: srv}}
	e.m.SetSize(80, 20)
	e.run(e.m.Init())
	return e
}

func (e *env) run(cmd tea.Cmd) {
	tuitest.Drive(e.t, func(msg tea.Msg) tea.Cmd {
		switch m := msg.(type) {
		case common.StatusMsg:
			e.status = append(e.status, m)
			return nil
		case QueuedMsg:
			e.queued = append(e.queued, m)
			return nil
		}
		_, c := e.m.Update(msg)
		return c
	}, cmd)
}

func (e *env) key(ks ...tea.KeyMsg) {
	for _, k := range ks {
		_, c := e.m.Update(k)
		e.run(c)
	}
}

func (e *env) typeText(s string) {
	for _, r := range s {
		e.key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func (e *env) lastStatus() common.StatusMsg {
	if len(e.status) == 0 {
		return common.StatusMsg{}
	}
	return e.status[len(e.status)-1]
}

func r(s string) tea.KeyMsg       { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }
func kt(t tea.KeyType) tea.KeyMsg { return tea.KeyMsg{Type: t} }
func visible(p *pane) []string {
	var out []string
	for _, e := range p.list.Visible() {
		out = append(out, e.Name)
	}
	return out
}

func TestLocalNavigation(t *testing.T) {
	e := newEnv(t)
	p := e.m.panes[common.Right]
	if got := visible(p); !reflect.DeepEqual(got, []string{"docs", "a.txt", "b.txt"}) {
		t.Fatalf("listing = %v", got)
	}
	e.key(kt(tea.KeyEnter))
	if p.dir != "/home/ana/docs" || !reflect.DeepEqual(visible(p), []string{"c.txt"}) {
		t.Fatalf("after enter: %s %v", p.dir, visible(p))
	}
	e.key(kt(tea.KeyBackspace))
	if cur, _ := p.list.Current(); p.dir != "/home/ana" || cur.Name != "docs" {
		t.Errorf("after backspace: %s, cursor on %q", p.dir, cur.Name)
	}
	e.key(r("."))
	if len(visible(p)) != 4 {
		t.Errorf("hidden files not shown: %v", visible(p))
	}
	e.key(r("/"))
	if !e.m.InputFocused() {
		t.Error("filtering does not hold the keyboard")
	}
	e.typeText("b.")
	if got := visible(p); !reflect.DeepEqual(got, []string{"b.txt"}) {
		t.Errorf("filtered = %v", got)
	}
	e.key(kt(tea.KeyEnter))
	if e.m.InputFocused() || p.list.Filter() != "b." {
		t.Errorf("enter should keep the filter and release the keyboard")
	}
	e.key(r("/"), kt(tea.KeyEsc))
	if p.list.Filter() != "" {
		t.Error("esc did not clear the filter")
	}
	e.key(r("p"))
	e.key(kt(tea.KeyCtrlU))
	e.typeText("docs")
	e.key(kt(tea.KeyEnter))
	if p.dir != "/home/ana/docs" {
		t.Errorf("go to path: %s", p.dir)
	}
	e.key(r("p"), kt(tea.KeyCtrlU))
	e.typeText("/nowhere")
	e.key(kt(tea.KeyEnter))
	if p.err == "" || e.lastStatus().Kind != common.StatusError {
		t.Errorf("a missing directory gave no error: %q %+v", p.err, e.lastStatus())
	}
	if v := e.m.View(); !strings.Contains(v, "error: open /nowhere") {
		t.Errorf("the pane does not show the error:\n%s", v)
	}
}

func TestRemoteRootsAndStaleListings(t *testing.T) {
	e := newEnv(t)
	e.run(e.m.SetSource(common.Right, Remote{S: e.sess}))
	p := e.m.panes[common.Right]
	if p.dir != "data:/" {
		t.Fatalf("the only root was not entered: %q", p.dir)
	}
	if got := visible(p); !reflect.DeepEqual(got, []string{"in", "a.txt"}) {
		t.Errorf("listing = %v", got)
	}
	gen := p.gen
	e.m.Update(listedMsg{side: common.Right, gen: gen - 1, dir: "data:/", entries: []common.Entry{{Name: "stale"}}})
	if got := visible(p); !reflect.DeepEqual(got, []string{"in", "a.txt"}) {
		t.Errorf("a stale listing was applied: %v", got)
	}
	e.key(kt(tea.KeyBackspace))
	if p.dir != "" || len(visible(p)) != 1 {
		t.Errorf("up from the root: %q %v", p.dir, visible(p))
	}
	e.key(r("n"))
	if e.m.kind != dlgNone || !strings.Contains(e.lastStatus().Text, "open a root first") {
		t.Errorf("mkdir in the roots list: %+v", e.lastStatus())
	}
	e.key(kt(tea.KeyF8))
	if e.m.kind != dlgNone || e.lastStatus().Kind != common.StatusError {
		t.Errorf("delete of a root: %+v", e.lastStatus())
	}
}

func TestMkdirDeleteMove(t *testing.T) {
	e := newEnv(t)
	p := e.m.panes[common.Right]
	e.key(kt(tea.KeyF7))
	e.typeText("a/b")
	e.key(kt(tea.KeyEnter))
	if e.lastStatus().Kind != common.StatusError {
		t.Errorf("a name with / was accepted: %+v", e.lastStatus())
	}
	e.key(kt(tea.KeyF7))
	e.typeText("new")
	e.key(kt(tea.KeyEnter))
	if cur, _ := p.list.Current(); cur.Name != "new" || !contains(e.fs.CallLog(), "Mkdir /home/ana/new") {
		t.Errorf("mkdir: cursor %q, calls %v", cur.Name, e.fs.CallLog())
	}

	// Delete: n keeps, y deletes.
	p.list.Select("a.txt")
	e.key(kt(tea.KeyF8))
	if !strings.Contains(e.m.View(), "Delete 1 item from local /home/ana?") {
		t.Errorf("no confirmation:\n%s", e.m.View())
	}
	e.key(r("n"))
	if contains(e.fs.CallLog(), "RemoveAll /home/ana/a.txt") {
		t.Fatal("deleted after n")
	}
	e.key(kt(tea.KeyF8), r("y"))
	if !contains(e.fs.CallLog(), "RemoveAll /home/ana/a.txt") || e.lastStatus().Kind != common.StatusOK {
		t.Errorf("not deleted after y: %v %+v", e.fs.CallLog(), e.lastStatus())
	}

	// Rename in place.
	p.list.Select("b.txt")
	e.key(kt(tea.KeyF6), kt(tea.KeyCtrlU))
	e.typeText("c.txt")
	e.key(kt(tea.KeyEnter))
	if !contains(e.fs.CallLog(), "Rename /home/ana/b.txt /home/ana/c.txt") {
		t.Errorf("rename: %v", e.fs.CallLog())
	}
	if cur, _ := p.list.Current(); cur.Name != "c.txt" {
		t.Errorf("cursor after rename on %q", cur.Name)
	}

	// Move to the other pane's directory (same file system): the default.
	left := e.m.panes[common.Left]
	left.chdir("/home/ana/docs")
	e.run(e.m.load(common.Left, ""))
	e.key(kt(tea.KeyF6), kt(tea.KeyEnter))
	if !contains(e.fs.CallLog(), "Rename /home/ana/c.txt /home/ana/docs/c.txt") {
		t.Errorf("move: %v", e.fs.CallLog())
	}
	if got := visible(left); !contains(got, "c.txt") {
		t.Errorf("the other pane was not reloaded: %v", got)
	}

	// A failing operation reports the error.
	e.fs.Err = errors.New("permission denied")
	e.key(kt(tea.KeyF7))
	e.typeText("x")
	e.key(kt(tea.KeyEnter))
	if st := e.lastStatus(); st.Kind != common.StatusError || !strings.Contains(st.Text, "permission denied") {
		t.Errorf("failure status = %+v", st)
	}
}

func TestDu(t *testing.T) {
	e := newEnv(t)
	e.key(r(" "), r(" "), r("u")) // mark docs and a.txt
	if st := e.lastStatus(); st.Kind != common.StatusOK || !strings.Contains(st.Text, "40 B") {
		t.Errorf("du status = %+v", st)
	}
	if v := e.m.View(); !strings.Contains(v, "du 40 B") {
		t.Errorf("du not in the footer:\n%s", v)
	}
	e.srv.SetErr("Du", errors.New("boom"))
	e.run(e.m.SetSource(common.Right, Remote{S: e.sess}))
	e.key(r("u"))
	if st := e.lastStatus(); st.Kind != common.StatusError || !strings.Contains(st.Text, "boom") {
		t.Errorf("du failure = %+v", st)
	}
}

func TestCopyQueueStates(t *testing.T) {
	e := newEnv(t)
	e.run(e.m.SetSource(common.Left, Remote{S: e.sess}))
	// Right (local) → left (remote data:/): a.txt conflicts, b.txt does not.
	e.key(r("j"), r(" "), r(" "), kt(tea.KeyF5))
	if e.m.kind != dlgConflict {
		t.Fatalf("no conflict question; status %+v", e.lastStatus())
	}
	e.key(kt(tea.KeyEsc))
	if e.m.queue != nil || len(e.srv.TransferSpecs()) != 0 {
		t.Fatal("esc did not cancel the queue")
	}
	e.key(r("c"), r("S"))
	specs := e.srv.TransferSpecs()
	if len(specs) != 1 || len(specs[0].Files) != 1 || specs[0].Files[0].Target != "b.txt" || specs[0].DestDir != "data:/" {
		t.Fatalf("specs = %+v", specs)
	}
	// The destination listing fails: nothing is queued.
	e.srv.SetErr("Ls", errors.New("gone"))
	e.key(r("c"))
	if len(e.srv.TransferSpecs()) != 1 || e.lastStatus().Kind != common.StatusError {
		t.Errorf("queued without a destination listing: %+v", e.lastStatus())
	}
	// StartTransfer fails: the error is reported.
	e.srv.SetErr("Ls", nil)
	e.srv.SetErr("StartTransfer", errors.New("refused"))
	e.key(r("c"))
	if n := len(e.queued); n != 2 || e.queued[0].Err != nil || e.queued[0].ID != "t1" || e.queued[1].Err == nil {
		t.Errorf("queued messages = %+v", e.queued)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
