package tui_test

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/tui"
	"github.com/jetstream-go/jetstream/tui/common"
	"github.com/jetstream-go/jetstream/tui/direct"
	"github.com/jetstream-go/jetstream/tui/tuitest"
)

// harness drives the root model synchronously.
type harness struct {
	t *testing.T
	m *tui.Model
}

func newHarness(t *testing.T, opts tui.Options, w, h int) *harness {
	t.Helper()
	m, err := tui.New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	hs := &harness{t: t, m: m}
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	hs.run(m.Init())
	return hs
}

func (h *harness) update(msg tea.Msg) tea.Cmd {
	_, cmd := h.m.Update(msg)
	return cmd
}

// run drives cmd to completion; it reports whether a quit was asked.
func (h *harness) run(cmd tea.Cmd) bool {
	h.t.Helper()
	quit := false
	for _, msg := range tuitest.Drive(h.t, func(msg tea.Msg) tea.Cmd {
		if _, ok := msg.(tea.QuitMsg); ok {
			quit = true
			return nil
		}
		return h.update(msg)
	}, cmd) {
		_ = msg
	}
	return quit
}

func (h *harness) send(msg tea.Msg) bool { return h.run(h.update(msg)) }

func (h *harness) press(keys ...string) bool {
	quit := false
	for _, k := range keys {
		quit = h.send(key(k)) || quit
	}
	return quit
}

func (h *harness) view() string { return h.m.View() }

func connectedHarness(t *testing.T, f *fixture, w, hgt int) *harness {
	opts := f.options()
	opts.Target, opts.Password = "alpha", "pw"
	h := newHarness(t, opts, w, hgt)
	if h.m.Screen() != common.ScreenFiles || len(h.m.Sessions()) != 1 {
		t.Fatalf("not connected: screen %v, status %q", h.m.Screen(), h.m.Status().Text)
	}
	return h
}

func TestQuitKeys(t *testing.T) {
	f := newFixture()
	h := newHarness(t, f.options(), 80, 24)
	if !h.press("q") {
		t.Error("q did not quit on the locations screen")
	}
	h = connectedHarness(t, newFixture(), 80, 24)
	h.press("/")
	if h.press("q") {
		t.Error("q quit while the filter had the keyboard")
	}
	if !strings.Contains(h.view(), "/q") {
		t.Error("q was not typed into the filter")
	}
	if !h.press("ctrl+c") {
		t.Error("ctrl+c did not quit while typing")
	}
}

func TestScreenKeys(t *testing.T) {
	h := connectedHarness(t, newFixture(), 80, 24)
	for k, want := range map[string]common.Screen{
		"1": common.ScreenLocations, "2": common.ScreenFiles, "3": common.ScreenTransfers,
		"4": common.ScreenEvents, "5": common.ScreenInfo,
	} {
		h.press(k)
		if h.m.Screen() != want {
			t.Errorf("key %s: screen %v, want %v", k, h.m.Screen(), want)
		}
	}
	h.press("1", "esc")
	if h.m.Screen() != common.ScreenFiles {
		t.Errorf("esc on locations: screen %v, want files", h.m.Screen())
	}
}

// TestViewsFit checks every screen at several sizes: no line wider than
// the terminal, never more lines than it has.
func TestViewsFit(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {100, 30}, {120, 40}, {61, 16}, {200, 60}} {
		h := connectedHarness(t, newFixture(), sz[0], sz[1])
		for _, k := range []string{"1", "2", "3", "enter", "4", "5", "?", "2", "f7"} {
			h.press(k)
			v := h.view()
			lines := strings.Split(v, "\n")
			if len(lines) > sz[1] {
				t.Errorf("%dx%d after %q: %d lines", sz[0], sz[1], k, len(lines))
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > sz[0] {
					t.Errorf("%dx%d after %q: line %d is %d cells wide: %q", sz[0], sz[1], k, i, w, l)
				}
			}
		}
	}
}

func TestTooSmall(t *testing.T) {
	h := newHarness(t, newFixture().options(), 40, 10)
	if v := h.view(); !strings.Contains(v, "needs at least") {
		t.Errorf("small terminal view = %q", v)
	}
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	if v := h.view(); !strings.Contains(v, "Locations") {
		t.Errorf("after growing: %q", v)
	}
}

func TestNoColor(t *testing.T) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	colour := func(v string) bool { return strings.Contains(v, "[38;") || strings.Contains(v, "[48;") }

	f := newFixture()
	h := connectedHarness(t, f, 80, 24)
	if !colour(h.view()) {
		t.Fatal("the default styles draw no colour: the NO_COLOR check below would prove nothing")
	}
	opts := f.options()
	opts.Target, opts.Password, opts.NoColor = "alpha", "pw", true
	h = newHarness(t, opts, 80, 24)
	for _, k := range []string{"2", "3", "4", "5", "1"} {
		h.press(k)
		if v := h.view(); colour(v) {
			t.Errorf("screen %s draws colour with NoColor", k)
		}
	}
	t.Setenv("NO_COLOR", "1")
	opts.NoColor = false
	h = newHarness(t, opts, 80, 24)
	if colour(h.view()) {
		t.Error("NO_COLOR in the environment was not honoured")
	}
}

func TestUploadQueued(t *testing.T) {
	f := newFixture()
	h := connectedHarness(t, f, 80, 24)
	h.press("enter", "enter")                      // data: → incoming/
	h.press("tab", "down", "space", "space", "f5") // notes.txt, report.pdf
	specs := f.alpha.TransferSpecs()
	if len(specs) != 1 {
		t.Fatalf("specs = %+v; status %q", specs, h.m.Status().Text)
	}
	s := specs[0]
	if s.Direction != common.Upload || s.DestDir != "data:/incoming" || s.Overwrite != api.OverwriteNever {
		t.Errorf("spec = %+v", s)
	}
	want := []common.TransferFile{{Source: "/home/ana/data/notes.txt", Target: "notes.txt"}, {Source: "/home/ana/data/report.pdf", Target: "report.pdf"}}
	if len(s.Files) != 2 || s.Files[0] != want[0] || s.Files[1] != want[1] {
		t.Errorf("files = %+v, want %+v", s.Files, want)
	}
	if st := h.m.Status(); st.Kind != common.StatusOK || !strings.Contains(st.Text, "transfer t1") {
		t.Errorf("status = %+v", st)
	}
}

func TestDownloadAndServerToServer(t *testing.T) {
	f := newFixture()
	h := connectedHarness(t, f, 80, 24)
	h.press("enter", "down", "f5") // data:/archive.tar → local
	specs := f.alpha.TransferSpecs()
	if len(specs) != 1 || specs[0].Direction != common.Download || specs[0].DestDir != "/home/ana/data" ||
		specs[0].Files[0] != (common.TransferFile{Source: "data:/archive.tar", Target: "archive.tar"}) {
		t.Fatalf("download specs = %+v; status %q", specs, h.m.Status().Text)
	}
	// beta in the left pane: alpha → beta is server to server.
	h.press("1", "down", "down", "o")
	if len(h.m.Sessions()) != 1 {
		h.t.Fatalf("a password was not asked for beta")
	}
	for _, r := range "pw" {
		h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	h.press("enter")
	if len(h.m.Sessions()) != 2 {
		t.Fatalf("beta not connected: %q", h.m.Status().Text)
	}
	h.press("enter") // beta's only root was entered: open backup/
	h.press("tab", "f5")
	specs = f.alpha.TransferSpecs()
	if len(specs) != 2 {
		t.Fatalf("specs = %+v; status %q", specs, h.m.Status().Text)
	}
	s := specs[1]
	if s.Direction != common.RemoteToRemote || s.DestDir != "/backup" || s.Destination == nil ||
		s.Destination.Name != "beta" || s.DestinationPassword != "pw" {
		t.Errorf("server-to-server spec = %+v", s)
	}
}

func TestConflictChoices(t *testing.T) {
	tests := []struct {
		keys      []string
		wantFiles []common.TransferFile
		overwrite int
	}{
		{[]string{"o"}, []common.TransferFile{{Source: "/home/ana/data/report.pdf", Target: "report.pdf"}}, api.OverwriteAlways},
		{[]string{"s"}, nil, 0},
		{[]string{"R"}, []common.TransferFile{{Source: "/home/ana/data/report.pdf", Target: "report (1).pdf"}}, api.OverwriteNever},
		{[]string{"r", "enter"}, []common.TransferFile{{Source: "/home/ana/data/report.pdf", Target: "report (1).pdf"}}, api.OverwriteNever},
	}
	for _, tt := range tests {
		f := newFixture()
		h := connectedHarness(t, f, 80, 24)
		h.press("enter", "tab", "down", "down", "f5")
		if !strings.Contains(h.view(), "Overwrite?") {
			t.Fatalf("%v: no conflict question", tt.keys)
		}
		h.press(tt.keys...)
		specs := f.alpha.TransferSpecs()
		if tt.wantFiles == nil {
			if len(specs) != 0 || !strings.Contains(h.m.Status().Text, "nothing to transfer") {
				t.Errorf("%v: specs %+v, status %q", tt.keys, specs, h.m.Status().Text)
			}
			continue
		}
		if len(specs) != 1 || len(specs[0].Files) != 1 || specs[0].Files[0] != tt.wantFiles[0] || specs[0].Overwrite != tt.overwrite {
			t.Errorf("%v: specs = %+v", tt.keys, specs)
		}
	}
}

func TestPasswordRetryAndPinNotice(t *testing.T) {
	f := newFixture()
	f.conn.Pin = "sha256:0123abcd"
	opts := f.options()
	opts.Target = "alpha"
	h := newHarness(t, opts, 80, 24)
	type1 := func(s string) {
		for _, r := range s {
			h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		}
	}
	type1("nope")
	h.press("enter")
	if !strings.Contains(h.view(), "wrong user name or password") || len(h.m.Sessions()) != 0 {
		t.Fatalf("wrong password not reported: %s", h.view())
	}
	h.press("ctrl+u")
	type1("pw")
	h.press("enter")
	if len(h.m.Sessions()) != 1 {
		t.Fatalf("not connected after the right password: %s", h.view())
	}
	if st := h.m.Status(); st.Kind != common.StatusWarn || !strings.Contains(st.Text, "sha256:0123abcd") {
		t.Errorf("pin notice = %+v", st)
	}
}

func TestCertChanged(t *testing.T) {
	f := newFixture()
	f.conn.Err = &client.CertChangedError{Addr: "alpha.example.net:8886", Pinned: "sha256:aa", Got: "sha256:bb", File: "/kh"}
	opts := f.options()
	opts.Target, opts.Password = "alpha", "pw"
	h := newHarness(t, opts, 100, 30)
	if v := h.view(); !strings.Contains(v, "TLS CERTIFICATE CHANGED") || !strings.Contains(v, "sha256:bb") {
		t.Errorf("certificate change not shown:\n%s", v)
	}
	if st := h.m.Status(); st.Kind != common.StatusError {
		t.Errorf("status = %+v", st)
	}
}

func TestSessionLost(t *testing.T) {
	f := newFixture()
	f.alpha.Stream.End(client.ErrClosed) // the connection drops at once
	opts := f.options()
	opts.Target, opts.Password = "alpha", "pw"
	h := newHarness(t, opts, 80, 24)
	if len(h.m.Sessions()) != 0 {
		t.Fatalf("session not dropped; status %q", h.m.Status().Text)
	}
	if st := h.m.Status(); st.Kind != common.StatusError || !strings.Contains(st.Text, "connection to alpha lost") {
		t.Errorf("status = %+v", st)
	}
	if !strings.Contains(h.view(), "local | local") {
		t.Errorf("the pane still shows the lost server:\n%s", h.view())
	}
	if calls := f.alpha.CallLog(); calls[len(calls)-1] != "Close" {
		t.Errorf("the lost client was not closed: %v", calls)
	}
}

func TestServerPanicsAndGarbage(t *testing.T) {
	f := newFixture()
	f.alpha.Panic = "Transfers"
	f.alpha.SetDir("data:/", api.FileEntry{Name: "../../etc"}, api.FileEntry{Name: "ok\x1b]0;pwn\x07"}, api.FileEntry{Name: ".."},
		api.FileEntry{Name: "huge", Size: 1 << 62, Mtime: 1 << 60})
	h := connectedHarness(t, f, 80, 24)
	h.press("3")
	if st := h.m.Status(); st.Kind != common.StatusError || !strings.Contains(st.Text, "internal error") {
		t.Errorf("a panicking client call: status %+v", st)
	}
	h.press("2", "enter")
	v := h.view()
	if strings.Contains(v, "\x1b]0;") || strings.Contains(v, "../../etc") {
		t.Errorf("hostile names reached the screen:\n%q", v)
	}
	if !strings.Contains(v, "ok?]0;pwn?") || !strings.Contains(v, "huge") {
		t.Errorf("names missing:\n%s", v)
	}
	h.press("3", "5", "4")
	f.alpha.Stream.Push(api.Event{Name: "transferProgress", Fields: map[string]any{"transferId": 5.0, "bytesAcked": "many"}})
	f.alpha.Stream.Push(api.Event{Name: "transferProgress", Fields: map[string]any{"transferId": "tr-0001-video", "bytesAcked": "many"}})
	f.alpha.Stream.Push(api.Event{Name: "\x1b[31mred"})
	h.press("ctrl+r")
}

func TestNewRequiresConnector(t *testing.T) {
	if _, err := tui.New(context.Background(), tui.Options{}); err == nil {
		t.Error("New without a Connector succeeded")
	}
	_, err := tui.New(context.Background(), tui.Options{Connector: &tuitest.Connector{}, Locations: &tuitest.Store{}, Target: "bad:port:x:"})
	if err == nil {
		t.Error("a bad target was accepted")
	}
}

func TestQuitAsksWhileDirectTransfersRun(t *testing.T) {
	f := newFixture()
	opts := f.options()
	opts.Target, opts.Password = "alpha", "pw"
	block := func(ctx context.Context, _ common.TransferSpec, _ func(direct.Progress)) error {
		<-ctx.Done()
		return ctx.Err()
	}
	opts.Connector = tui.ConnectorFunc(func(ctx context.Context, req tui.ConnectRequest) (tui.Client, error) {
		c, err := f.conn.Connect(ctx, req)
		if err != nil {
			return nil, err
		}
		return direct.New(c, block, nil), nil
	})
	h := newHarness(t, opts, 80, 24)
	h.press("enter", "enter")    // data: → incoming/
	h.press("tab", "down", "f5") // notes.txt
	if st := h.m.Status(); !strings.Contains(st.Text, "transfer up-1") {
		t.Fatalf("upload not started: %+v", st)
	}
	if h.press("q") {
		t.Fatal("q quit while an upload ran")
	}
	if st := h.m.Status(); st.Kind != common.StatusWarn || !strings.Contains(st.Text, "q again cancels them") {
		t.Errorf("status = %+v", st)
	}
	if h.press("j", "q") {
		t.Error("another key did not disarm the quit")
	}
	if !h.press("q") {
		t.Error("a second q did not quit")
	}
}
