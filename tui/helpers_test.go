package tui_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/tui"
	"github.com/jetstream-go/jetstream/tui/common"
	"github.com/jetstream-go/jetstream/tui/tuitest"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// now is the fixed clock of every test.
var now = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

func us(t time.Time) int64 { return t.UnixMicro() }
func ptr[T any](v T) *T    { return &v }

// fixture is a local file system, two fake servers and saved locations.
type fixture struct {
	fs    *tuitest.FS
	alpha *tuitest.Client
	beta  *tuitest.Client
	store *tuitest.Store
	conn  *tuitest.Connector
}

func newFixture() *fixture {
	day := now.Add(-26 * time.Hour)
	fs := tuitest.NewFS("/home/ana/data")
	fs.Set("/home/ana/data",
		tuitest.Dir("photos", day),
		tuitest.File("notes.txt", 2150, day.Add(time.Hour)),
		tuitest.File("report.pdf", 1_572_864, day.Add(2*time.Hour)),
		tuitest.File(".profile", 220, day),
		tuitest.File("video.mp4", 3_435_973_837, day.Add(3*time.Hour)),
	)
	fs.Set("/home/ana/data/photos", tuitest.File("cat.jpg", 2_500_000, day))
	fs.Sizes["/home/ana/data/photos"] = 2_500_000

	alpha := tuitest.NewClient()
	alpha.Roots = []api.FileEntry{
		{Name: "data", Type: api.FileTypeRoot, Mtime: day.Unix(), Access: 7},
		{Name: "home", Type: api.FileTypeRoot, Mtime: day.Unix(), Access: 7},
	}
	alpha.SetDir("data:/", tuitest.Entries(day.Unix(), "incoming/", "report.pdf", "archive.tar", "genome.fa")...)
	alpha.SetDir("data:/incoming")
	alpha.Info = api.ServerInfo{
		ServerName: "alpha", HostName: "alpha.example.net", ServerID: "srv-alpha", ServerUID: "7f1c2a9e",
		Version: "0.1.0", Revision: "abc123", APIVersion: api.APIVersion, UserName: "bob", APIControlPort: 8886,
		PublicKey: "ed25519:AAAAC3NzaC1lZDI1NTE5AAAAIGx3", EncryptionAvailable: true, MinCipher: api.CipherAES128,
		EventLogAvailable: true, Receiver: api.ReceiverInfo{RecvPort: 8886},
		Sandbox:         map[string]string{"data": "/srv/data", "home": "/home/bob"},
		BandwidthLimits: &api.BandwidthLimits{OutgoingLimitActive: true, OutgoingRateLimit: 1_000_000, BorrowIncoming: true},
		License:         api.License{Message: "no licence needed"},
	}
	alpha.Log = []api.Event{
		{Name: "serverStarted", Timestamp: us(now.Add(-2 * time.Hour)), Seq: 1, Fields: map[string]any{"version": "0.1.0"}},
		{Name: "destinationCreated", Timestamp: us(now.Add(-90 * time.Minute)), Seq: 2, Fields: map[string]any{"destinationId": "d-beta"}},
		{Name: "transferCompleted", Timestamp: us(now.Add(-30 * time.Minute)), Seq: 3, Fields: map[string]any{"transferId": "tr-0003", "totalBytes": 1048576.0}},
	}
	alpha.SetTransfers(transfersFixture()...)
	alpha.Files["m-1"] = []api.FileMapping{
		{SrcPath: "/home/ana/data/video.mp4", DestPath: "video.mp4", FileSize: 3_435_973_837},
		{SrcPath: "/home/ana/data/notes.txt", DestPath: "notes.txt", FileSize: 2150},
	}

	beta := tuitest.NewClient()
	beta.Roots = []api.FileEntry{{Name: "", Type: api.FileTypeRoot, Access: 7}}
	beta.SetDir("/", tuitest.Entries(day.Unix(), "backup/", "inbox/")...)
	beta.SetDir("/backup")

	store := &tuitest.Store{Locs: []common.Location{
		{Name: "alpha", Address: "alpha.example.net", User: "bob", Rate: "500M", Policy: "fair"},
		{Name: "beta", Address: "10.0.0.7", APIPort: 9886, User: "backup"},
	}}
	conn := &tuitest.Connector{Clients: map[string]*tuitest.Client{"alpha": alpha, "beta": beta}, Password: "pw"}
	return &fixture{fs: fs, alpha: alpha, beta: beta, store: store, conn: conn}
}

func transfersFixture() []api.Transfer {
	return []api.Transfer{
		{
			TransferID: "tr-0001-video", ManifestID: "m-1", DestinationID: "d-beta", DestinationPath: "/backup/2026",
			Status: api.TransferActive, Priority: 1, Policy: "fair", Overwrite: 4, MinCipher: 2,
			BlockSize: 1 << 20, TotalBlocks: 3278, TotalBytes: 3_435_975_987, TotalFiles: 2,
			BlocksSent: 1400, BlocksAcked: 1300, BlocksRetransmitted: 42, BytesSent: 1_468_006_400, BytesAcked: 1_363_148_800,
			PacketsSent: 1_020_000, PacketsRecv: 40_000, FilesDone: 1, CurrentRate: 412_000, SendRateMax: 500_000,
			RoundTripTimeMs: 182, CurrentFile: "video.mp4",
			RequestTime: us(now.Add(-5 * time.Minute)), StartTime: ptr(us(now.Add(-4 * time.Minute))),
		},
		{
			TransferID: "tr-0002-genome", ManifestID: "m-2", Status: api.TransferPending, TotalBytes: 52_428_800_000,
			TotalFiles: 12, RequestTime: us(now.Add(-3 * time.Minute)),
		},
		{
			TransferID: "tr-0003-logs", ManifestID: "m-3", Status: api.TransferComplete, TotalBytes: 1_048_576,
			BytesAcked: 1_048_576, BlocksSent: 1, BlocksAcked: 1, TotalFiles: 3, FilesDone: 3,
			RequestTime: us(now.Add(-40 * time.Minute)), StartTime: ptr(us(now.Add(-39 * time.Minute))), EndTime: ptr(us(now.Add(-30 * time.Minute))),
		},
		{
			TransferID: "tr-0004-db", ManifestID: "m-4", Status: api.TransferError, TotalBytes: 8_000_000, BytesAcked: 2_000_000,
			ErrorMessage: ptr("destination full: no space left on device"), RequestTime: us(now.Add(-50 * time.Minute)),
		},
	}
}

// options are the Options of a test run.
func (f *fixture) options() tui.Options {
	return tui.Options{
		Connector: f.conn, Locations: f.store, LocalFS: f.fs,
		Now: func() time.Time { return now }, TZ: time.UTC, RefreshInterval: -1,
	}
}

// start runs the TUI in teatest at a size.
func start(t *testing.T, opts tui.Options, w, h int) (*teatest.TestModel, *tui.Model) {
	t.Helper()
	m, err := tui.New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
	return tm, m
}

// waitFor waits until the program's output contains every string.
func waitFor(t *testing.T, tm *teatest.TestModel, subs ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, s := range subs {
			if !strings.Contains(string(b), s) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

// finalView quits the program and returns the model's last view.
func finalView(t *testing.T, tm *teatest.TestModel) string {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second))
	return fm.View()
}

var sizes = []struct {
	name string
	w, h int
}{{"80x24", 80, 24}, {"120x40", 120, 40}}

func key(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "f5":
		return tea.KeyMsg{Type: tea.KeyF5}
	case "f7":
		return tea.KeyMsg{Type: tea.KeyF7}
	case "f8":
		return tea.KeyMsg{Type: tea.KeyF8}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "space":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "ctrl+u":
		return tea.KeyMsg{Type: tea.KeyCtrlU}
	case "ctrl+r":
		return tea.KeyMsg{Type: tea.KeyCtrlR}
	case "ctrl+a":
		return tea.KeyMsg{Type: tea.KeyCtrlA}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "f6":
		return tea.KeyMsg{Type: tea.KeyF6}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// press sends keys in order.
func press(tm *teatest.TestModel, keys ...string) {
	for _, k := range keys {
		tm.Send(key(k))
	}
}

// connected starts the TUI connected to alpha in the right pane.
func connected(t *testing.T, f *fixture, w, h int) (*teatest.TestModel, *tui.Model) {
	t.Helper()
	opts := f.options()
	opts.Target, opts.Password = "alpha", "pw"
	tm, m := start(t, opts, w, h)
	waitFor(t, tm, "home:", "video.mp4")
	return tm, m
}

func progress(id string, snap time.Time, rate float64, acked int64) api.Event {
	return api.Event{Name: "transferProgress", Timestamp: us(snap), Fields: map[string]any{
		"transferId": id, "status": api.TransferActive, "currentRate": rate,
		"bytesAcked": float64(acked), "snapshotTime": float64(us(snap)),
		"blocksSent": float64(acked/(1<<20) + 60), "blocksRetransmitted": 42.0,
	}}
}
