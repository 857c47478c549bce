package direct

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/tui/common"
	"github.com/jetstream-go/jetstream/tui/tuitest"
)

// clock is a hand-advanced clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// script is a Runner the test drives: each run waits for progress
// readings and an end on its channels.
type script struct {
	mu     sync.Mutex
	specs  []common.TransferSpec
	report chan Progress
	end    chan error
	// reported is signalled after each progress call returned.
	reported chan struct{}
}

func newScript() *script {
	return &script{report: make(chan Progress), end: make(chan error), reported: make(chan struct{})}
}

func (s *script) run(ctx context.Context, spec common.TransferSpec, progress func(Progress)) error {
	s.mu.Lock()
	s.specs = append(s.specs, spec)
	s.mu.Unlock()
	for {
		select {
		case p := <-s.report:
			progress(p)
			s.reported <- struct{}{}
		case err := <-s.end:
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (s *script) progress(t *testing.T, p Progress) {
	t.Helper()
	select {
	case s.report <- p:
	case <-time.After(5 * time.Second):
		t.Fatal("the runner is not running")
	}
	<-s.reported
}

func (s *script) finish(t *testing.T, err error) {
	t.Helper()
	select {
	case s.end <- err:
	case <-time.After(5 * time.Second):
		t.Fatal("the runner is not running")
	}
}

var t0 = time.Date(2026, 3, 14, 15, 0, 0, 0, time.UTC)

func upload() common.TransferSpec {
	return common.TransferSpec{Direction: common.Upload, DestDir: "data:/in",
		Files: []common.TransferFile{{Source: "/home/ana/a.bin", Target: "a.bin"}}, Overwrite: api.OverwriteNever}
}

func fixture(t *testing.T) (*Client, *tuitest.Client, *script, *clock) {
	t.Helper()
	inner := tuitest.NewClient()
	inner.SetTransfers(api.Transfer{TransferID: "srv-1", Status: api.TransferPending})
	sc, clk := newScript(), &clock{t: t0}
	c := New(inner, sc.run, clk.now)
	c.CloseTimeout = 5 * time.Second
	t.Cleanup(func() { c.Close() })
	return c, inner, sc, clk
}

// waitStatus waits (bounded) until the row of id has status.
func waitStatus(t *testing.T, c *Client, id, status string) api.Transfer {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		for _, tr := range c.Local() {
			if tr.TransferID == id && tr.Status == status {
				return tr
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never became %s: %+v", id, status, c.Local())
		}
		time.Sleep(time.Millisecond)
	}
}

func TestUploadLifecycle(t *testing.T) {
	c, _, sc, clk := fixture(t)
	c.Policy, c.Cipher = "low", api.CipherAES256
	ctx := context.Background()
	id, err := c.StartTransfer(ctx, upload())
	if err != nil || id != "up-1" {
		t.Fatalf("StartTransfer = %q, %v", id, err)
	}
	ts, err := c.Transfers(ctx)
	if err != nil || len(ts) != 2 || ts[0].TransferID != "srv-1" || ts[1].TransferID != "up-1" {
		t.Fatalf("Transfers = %+v, %v", ts, err)
	}
	if ts[1].Status != api.TransferPending || ts[1].DestinationPath != "data:/in" || ts[1].ManifestID != "direct:up-1" ||
		ts[1].Policy != "low" || ts[1].MinCipher != api.CipherAES256 {
		t.Errorf("queued row: %+v", ts[1])
	}
	sc.progress(t, Progress{TotalBytes: 10_000_000, TotalFiles: 1, BytesDone: 0})
	clk.add(time.Second)
	sc.progress(t, Progress{TotalBytes: 10_000_000, TotalFiles: 1, BytesDone: 1_000_000, BytesSent: 1_100_000,
		TotalBlocks: 10, BlocksAcked: 1, BlocksSent: 100, BlocksRetransmitted: 5, RTT: 20 * time.Millisecond, CurrentFile: "a.bin"})
	tr := c.Local()[0]
	if tr.Status != api.TransferActive || tr.BytesAcked != 1_000_000 || tr.CurrentRate != 8000 ||
		tr.RoundTripTimeMs != 20 || tr.BlocksRetransmitted != 5 || tr.StartTime == nil || *tr.StartTime != t0.UnixMicro() ||
		tr.SnapshotTime != t0.Add(time.Second).UnixMicro() {
		t.Errorf("active row: %+v", tr)
	}
	clk.add(time.Second)
	sc.finish(t, nil)
	tr = waitStatus(t, c, "up-1", api.TransferComplete)
	if tr.BytesAcked != 10_000_000 || tr.BlocksAcked != 10 || tr.TotalBlocks != 10 || tr.EndTime == nil || *tr.EndTime != t0.Add(2*time.Second).UnixMicro() || tr.CurrentRate != 0 {
		t.Errorf("complete row: %+v", tr)
	}
	if c.Running() != 0 {
		t.Errorf("Running = %d after the end", c.Running())
	}
	files, err := c.ManifestFiles(ctx, tr.ManifestID)
	if err != nil || len(files) != 1 || files[0].SrcPath != "/home/ana/a.bin" || files[0].DestPath != "data:/in/a.bin" || files[0].FileSize != 10_000_000 {
		t.Errorf("ManifestFiles = %+v, %v", files, err)
	}
}

func TestDownloadErrorAndCancel(t *testing.T) {
	c, _, sc, _ := fixture(t)
	ctx := context.Background()
	spec := upload()
	spec.Direction, spec.DestDir = common.Download, "/home/ana"
	spec.Files = []common.TransferFile{{Source: "data:/big", Target: "big"}}
	id, err := c.StartTransfer(ctx, spec)
	if err != nil || id != "down-1" {
		t.Fatalf("StartTransfer = %q, %v", id, err)
	}
	sc.progress(t, Progress{TotalBytes: 100, BytesDone: 40})
	if tr := c.Local()[0]; tr.BytesRecv != 40 || tr.BytesAcked != 0 {
		t.Errorf("download counts received bytes: %+v", tr)
	}
	sc.finish(t, errors.New("disk full"))
	tr := waitStatus(t, c, id, api.TransferError)
	if tr.ErrorMessage == nil || *tr.ErrorMessage != "disk full" {
		t.Errorf("error row: %+v", tr)
	}
	if err := c.TransferAction(ctx, common.ActionCancel, id); api.CodeOf(err) != api.CodeConflict {
		t.Errorf("cancel of a finished transfer: %v", err)
	}

	id2, _ := c.StartTransfer(ctx, spec)
	for _, a := range []common.TransferAction{common.ActionSuspend, common.ActionResume} {
		if err := c.TransferAction(ctx, a, id2); api.CodeOf(err) != api.CodeNotEnabled || !strings.Contains(err.Error(), "only cancelled") {
			t.Errorf("%s: %v", a, err)
		}
	}
	if err := c.SetPriority(ctx, id2, 5); api.CodeOf(err) != api.CodeNotEnabled {
		t.Errorf("SetPriority: %v", err)
	}
	if err := c.TransferAction(ctx, common.ActionCancel, id2); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, c, id2, api.TransferCancelled)
}

func TestDelegatesToServer(t *testing.T) {
	c, inner, _, _ := fixture(t)
	ctx := context.Background()
	spec := upload()
	spec.Direction = common.RemoteToRemote
	spec.Destination = &common.Location{Name: "beta"}
	if _, err := c.StartTransfer(ctx, spec); err != nil {
		t.Fatal(err)
	}
	if len(inner.TransferSpecs()) != 1 {
		t.Error("server-to-server transfer not queued on the server")
	}
	if err := c.TransferAction(ctx, common.ActionSuspend, "srv-1"); err != nil {
		t.Errorf("suspend on the server: %v", err)
	}
	if err := c.SetPriority(ctx, "srv-1", 4); err != nil {
		t.Errorf("priority on the server: %v", err)
	}
	inner.SetErr("Transfers", errors.New("connection lost"))
	if _, err := c.Transfers(ctx); err == nil {
		t.Error("a server error was hidden")
	}
	if _, err := c.ManifestFiles(ctx, "direct:up-77"); api.CodeOf(err) != api.CodeNotFound {
		t.Errorf("unknown direct manifest: %v", err)
	}
	log := strings.Join(inner.CallLog(), "\n")
	for _, want := range []string{"StartTransfer", "TransferAction suspend srv-1", "SetPriority srv-1 4"} {
		if !strings.Contains(log, want) {
			t.Errorf("server calls %q lack %q", log, want)
		}
	}
}

func TestStartTransferRefuses(t *testing.T) {
	c, _, _, _ := fixture(t)
	tests := []struct {
		name string
		edit func(*common.TransferSpec)
		want string
	}{
		{"no files", func(s *common.TransferSpec) { s.Files = nil }, "no files"},
		{"no destination", func(s *common.TransferSpec) { s.DestDir = "" }, "without a destination"},
		{"empty target", func(s *common.TransferSpec) { s.Files[0].Target = "" }, "empty source or target"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := upload()
			tt.edit(&s)
			if _, err := c.StartTransfer(context.Background(), s); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	if len(c.Local()) != 0 {
		t.Error("a refused transfer is listed")
	}
	noEngine := New(tuitest.NewClient(), nil, nil)
	defer noEngine.Close()
	if _, err := noEngine.StartTransfer(context.Background(), upload()); err == nil || !strings.Contains(err.Error(), "no transfer engine") {
		t.Errorf("without a runner: %v", err)
	}
}

func TestRunnerPanicBecomesError(t *testing.T) {
	c := New(tuitest.NewClient(), func(context.Context, common.TransferSpec, func(Progress)) error { panic("boom") }, nil)
	defer c.Close()
	id, err := c.StartTransfer(context.Background(), upload())
	if err != nil {
		t.Fatal(err)
	}
	tr := waitStatus(t, c, id, api.TransferError)
	if tr.ErrorMessage == nil || !strings.Contains(*tr.ErrorMessage, "boom") {
		t.Errorf("row: %+v", tr)
	}
}

func TestCloseStopsTransfers(t *testing.T) {
	c, inner, _, _ := fixture(t)
	for range 3 {
		if _, err := c.StartTransfer(context.Background(), upload()); err != nil {
			t.Fatal(err)
		}
	}
	if c.Running() != 3 {
		t.Fatalf("Running = %d", c.Running())
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if c.Running() != 0 {
		t.Errorf("Running = %d after Close", c.Running())
	}
	if !strings.Contains(strings.Join(inner.CallLog(), " "), "Close") {
		t.Error("the server connection was not closed")
	}
	if _, err := c.StartTransfer(context.Background(), upload()); err == nil {
		t.Error("StartTransfer after Close accepted")
	}
	stuck := New(tuitest.NewClient(), func(context.Context, common.TransferSpec, func(Progress)) error {
		select {} // ignores its context
	}, nil)
	stuck.CloseTimeout = time.Millisecond
	stuck.StartTransfer(context.Background(), upload())
	if err := stuck.Close(); err == nil || !strings.Contains(err.Error(), "did not stop") {
		t.Errorf("Close of a stuck runner: %v", err)
	}
}

func TestPruneKeepsRunning(t *testing.T) {
	c := &Client{}
	for i := range maxFinished + 10 {
		j := &job{id: string(rune('a' + i%26))}
		if i != 0 {
			j.ended = t0
		}
		c.jobs = append(c.jobs, j)
	}
	c.prune()
	if len(c.jobs) != maxFinished+1 || !c.jobs[0].running() {
		t.Errorf("after prune: %d jobs, first running %v", len(c.jobs), c.jobs[0].running())
	}
}

// step is one reading fed to a rateMeter: dt after the previous one.
type step struct {
	dt   time.Duration
	done int64
}

func TestRateMeter(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
		want  float64
	}{
		{"first sample", []step{{0, 1000}}, 0},
		{"one second of 1 MB", []step{{0, 0}, {time.Second, 1_000_000}}, 8000},
		{"too short an interval keeps the rate", []step{{0, 0}, {time.Second, 1_000_000}, {10 * time.Millisecond, 9_000_000}}, 8000},
		{"smoothed", []step{{0, 0}, {time.Second, 1_000_000}, {time.Second, 3_000_000}}, 12000},
		{"counter reset is not negative", []step{{0, 0}, {time.Second, 1_000_000}, {time.Second, 0}}, 4000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m rateMeter
			now := t0
			var got float64
			for _, s := range tt.steps {
				now = now.Add(s.dt)
				got = m.add(now, s.done)
			}
			if got != tt.want {
				t.Errorf("rate = %v, want %v", got, tt.want)
			}
		})
	}
}
