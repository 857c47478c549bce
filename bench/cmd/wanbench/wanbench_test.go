package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/bench/driver"
	"github.com/jetstream-go/jetstream/bench/linkemu"
	"github.com/jetstream-go/jetstream/bench/netns"
	"github.com/jetstream-go/jetstream/bench/report"
	"github.com/jetstream-go/jetstream/bench/scenario"
)

func smokeCell(t *testing.T) scenario.Cell {
	t.Helper()
	m, err := scenario.Default()
	if err != nil {
		t.Fatal(err)
	}
	cells, err := m.Select([]string{"smoke"})
	if err != nil {
		t.Fatal(err)
	}
	return cells[0]
}

// replayStats returns A→B counters consistent with the seeded model for n
// packets on the wire.
func replayStats(t *testing.T, c scenario.Cell, n uint64) linkemu.DirStats {
	t.Helper()
	cfg, _, _ := c.LinkConfigs()
	l, err := linkemu.NewLink(cfg, c.Seed)
	if err != nil {
		t.Fatal(err)
	}
	var lost uint64
	for i := range n {
		if l.Offer(time.Duration(i)*time.Second, 1500).Verdict == linkemu.DropLoss {
			lost++
		}
	}
	return linkemu.DirStats{Received: n + 17, DroppedQueue: 17, DroppedLoss: lost, Forwarded: n - lost}
}

func TestCheckLossReplay(t *testing.T) {
	c := smokeCell(t)
	good := replayStats(t, c, 20000)
	if err := checkLossReplay(&c, good); err != nil {
		t.Fatalf("consistent counters rejected: %v", err)
	}
	off := good
	off.DroppedLoss++
	if err := checkLossReplay(&c, off); err == nil || !strings.Contains(err.Error(), "replaying the seeded model") {
		t.Fatalf("off-by-one accepted: %v", err)
	}
	few := replayStats(t, c, 500)
	if err := checkLossReplay(&c, few); err == nil || !strings.Contains(err.Error(), "only") {
		t.Fatalf("tiny sample accepted: %v", err)
	}
	rerr := good
	rerr.ReadErrors = 1
	if err := checkLossReplay(&c, rerr); err == nil {
		t.Fatal("read errors accepted")
	}
}

func TestCheckSmoke(t *testing.T) {
	c := smokeCell(t)
	emu := &report.Emulator{Stats: linkemu.Stats{AtoB: replayStats(t, c, 20000)}}
	ok := func(tool string) report.ToolRun {
		return report.ToolRun{Status: report.StatusOK, Emu: emu, Result: driver.Result{Tool: tool, GoodputMbit: 10}}
	}
	na := report.ToolRun{Status: report.StatusNA, Error: "not available", Result: driver.Result{Tool: "jetstream"}}
	tests := []struct {
		name string
		runs []report.ToolRun
		want string
	}{
		{"pass", []report.ToolRun{ok("jetstream"), ok("iperf3-cubic"), ok("scp")}, ""},
		{"jetstream n/a", []report.ToolRun{na, ok("iperf3-cubic"), ok("scp")}, "jetstream not available"},
		{"jetstream missing", []report.ToolRun{ok("iperf3-cubic"), ok("scp")}, "jetstream did not run"},
		{"scp missing", []report.ToolRun{ok("jetstream"), ok("iperf3-cubic")}, "scp did not run"},
		{"scp error", []report.ToolRun{ok("iperf3-cubic"), {Status: report.StatusError, Error: "boom", Result: driver.Result{Tool: "scp"}}}, "scp: boom"},
		{"iperf3 n/a", []report.ToolRun{{Status: report.StatusNA, Error: "x", Result: driver.Result{Tool: "iperf3-cubic"}}, ok("scp")}, "iperf3-cubic not available"},
		{"no data", []report.ToolRun{ok("iperf3-cubic"), {Status: report.StatusOK, Result: driver.Result{Tool: "scp"}}}, "scp moved no data"},
	}
	for _, tt := range tests {
		err := checkSmoke(&report.CellResult{Cell: c, Runs: tt.runs})
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: checkSmoke = %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestToolRunStatus(t *testing.T) {
	res := driver.Result{Tool: "scp", GoodputMbit: 50}
	if tr := toolRun(res, nil, 100); tr.Status != report.StatusOK || tr.Fraction != 0.5 {
		t.Fatalf("ok: %+v", tr)
	}
	if tr := toolRun(res, driver.NotAvailable("missing"), 100); tr.Status != report.StatusNA || !strings.Contains(tr.Error, "missing") {
		t.Fatalf("n/a: %+v", tr)
	}
	if tr := toolRun(res, errors.New("boom"), 100); tr.Status != report.StatusError {
		t.Fatalf("error: %+v", tr)
	}
}

func TestReadSeries(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "s.ndjson")
	lines := `{"elapsed_s":0.25,"a_to_b":{"bytes":3125000,"queue_delay_now_ms":2}}
not json
{"elapsed_s":0.5,"a_to_b":{"bytes":6250000,"queue_delay_now_ms":4}}
`
	if err := os.WriteFile(p, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	s := readSeries(p)
	if len(s) != 2 || s[0].MbitAB != 100 || s[1].MbitAB != 100 || s[1].QueueMS != 4 || s[1].T != 0.5 {
		t.Fatalf("series %+v", s)
	}
	if readSeries(filepath.Join(dir, "missing")) != nil {
		t.Fatal("missing file gave samples")
	}
}

func TestPrintTable(t *testing.T) {
	p := filepath.Join(t.TempDir(), "r.md")
	os.WriteFile(p, []byte("# t\n\n## smoke\n\n| a |\n\n## Notes\n\n- n\n"), 0o644)
	var b bytes.Buffer
	if err := printTable(&b, p, "## smoke"); err != nil || b.String() != "## smoke\n\n| a |\n\n" {
		t.Fatalf("printTable = %q, %v", b.String(), err)
	}
	if err := printTable(&b, p, "## other"); err == nil {
		t.Fatal("missing section accepted")
	}
}

func TestCLI(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"--help"}, &out, &errb); code != exitOK || !strings.Contains(out.String(), "smoke") {
		t.Fatalf("--help: %d %q", code, out.String())
	}
	out.Reset()
	if code := run([]string{"show"}, &out, &errb); code != exitOK || !strings.Contains(out.String(), `name = "smoke"`) {
		t.Fatalf("show: %d", code)
	}
	if code := run([]string{"bogus"}, &out, &errb); code != exitUsage {
		t.Fatalf("bogus: %d", code)
	}
	errb.Reset()
	if code := run([]string{"run", "--cells", "nope", "--out", t.TempDir()}, &out, &errb); code != exitFail || !strings.Contains(errb.String(), `no cell named "nope"`) {
		t.Fatalf("unknown cell: %d %q", code, errb.String())
	}
	errb.Reset()
	if code := run([]string{"capacity", "--seconds", "1"}, &out, &errb); code != exitFail || !strings.Contains(errb.String(), "outside [2, 60]") {
		t.Fatalf("capacity --seconds 1: %d %q", code, errb.String())
	}
}

func TestSkipWhenNotRoot(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("skip: running as root")
	}
	var out, errb bytes.Buffer
	if code := run([]string{"smoke", "--skip-if-not-root"}, &out, &errb); code != exitOK || !strings.Contains(out.String(), "SKIP: needs root") {
		t.Fatalf("smoke as non-root: %d %q %q", code, out.String(), errb.String())
	}
}

// TestEmulatorProcess builds linkemu, runs it between a real namespace pair
// and checks counters, the series file and cleanup (root only).
func TestEmulatorProcess(t *testing.T) {
	if netns.RequireRoot() != nil {
		t.Skip("skip: needs root")
	}
	bin := filepath.Join(t.TempDir(), "linkemu")
	if out, err := exec.Command("go", "build", "-o", bin, "../linkemu").CombinedOutput(); err != nil {
		t.Fatalf("build linkemu: %v\n%s", err, out)
	}
	ctx := context.Background()
	var log bytes.Buffer
	b, err := newBench(ctx, &log, setupOpts{linkemu: bin, noInstall: true, offload: true})
	if err != nil {
		t.Fatal(err)
	}
	nameA, nameB := b.pair.A.Name, b.pair.B.Name
	work := b.work
	defer func() {
		if err := b.close(); err != nil {
			t.Error(err)
		}
		if netns.Exists(nameA) || netns.Exists(nameB) {
			t.Error("namespaces left behind")
		}
		if _, err := os.Stat(work); err == nil {
			t.Error("work dir left behind")
		}
	}()
	e, err := b.startEmu(ctx, linkemu.DirConfig{Delay: 5 * time.Millisecond}, linkemu.DirConfig{Delay: 5 * time.Millisecond}, 1, "test")
	if err != nil {
		t.Fatal(err)
	}
	var srv, cli *net.UDPConn
	if err := b.pair.B.Do(func() (err error) {
		srv, err = net.ListenUDP("udp4", &net.UDPAddr{IP: b.env.AddrB.AsSlice()})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if err := b.pair.A.Do(func() (err error) { cli, err = net.DialUDP("udp4", nil, srv.LocalAddr().(*net.UDPAddr)); return err }); err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	const n = 20
	for i := range n {
		if _, err := cli.Write([]byte(fmt.Sprint("packet ", i))); err != nil {
			t.Fatal(err)
		}
	}
	buf := make([]byte, 100)
	srv.SetReadDeadline(time.Now().Add(5 * time.Second))
	for i := range n {
		if _, err := srv.Read(buf); err != nil {
			t.Fatalf("packet %d: %v", i, err)
		}
	}
	st, err := e.stop(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Stats.AtoB.Forwarded != n || st.Stats.ConfigAB != "delay=5ms" || st.CPU.CPUSeconds <= 0 || st.KernelDropsA != 0 {
		t.Fatalf("emulator result %+v", st)
	}
}

func TestMergeRuns(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 3, 0, 0, 0, time.UTC)
	cellNamed := func(name string, mbit float64) report.CellResult {
		return report.CellResult{Cell: scenario.Cell{Name: name}, Runs: []report.ToolRun{{Result: driver.Result{GoodputMbit: mbit}}}}
	}
	a := report.Run{Started: t0, Finished: t0.Add(time.Hour), Command: "run", Cells: []report.CellResult{cellNamed("x", 1), cellNamed("y", 2)}}
	b := report.Run{Started: t0.Add(2 * time.Hour), Finished: t0.Add(3 * time.Hour), Command: "run --cells y,z", Cells: []report.CellResult{cellNamed("y", 20), cellNamed("z", 30)}}
	m := mergeRuns([]report.Run{a, b})
	var got []string
	for _, c := range m.Cells {
		got = append(got, fmt.Sprintf("%s=%v", c.Cell.Name, c.Runs[0].GoodputMbit))
	}
	if strings.Join(got, ",") != "x=1,y=20,z=30" {
		t.Fatalf("cells %v", got)
	}
	// A repeated cell's runs replace all earlier runs of it, in place.
	rep := func(name string, mbit float64, n int) report.CellResult {
		c := cellNamed(name, mbit)
		c.Rep = n
		return c
	}
	c := report.Run{Started: t0.Add(4 * time.Hour), Finished: t0.Add(5 * time.Hour), Command: "run --cells y",
		Cells: []report.CellResult{rep("y", 21, 1), rep("y", 22, 2), rep("y", 23, 3)}}
	m2 := mergeRuns([]report.Run{a, b, c})
	got = got[:0]
	for _, c := range m2.Cells {
		got = append(got, fmt.Sprintf("%s%d=%v", c.Cell.Name, c.Rep, c.Runs[0].GoodputMbit))
	}
	if strings.Join(got, ",") != "x0=1,y1=21,y2=22,y3=23,z0=30" {
		t.Fatalf("cells after a repeated run %v", got)
	}
	if !m.Started.Equal(t0) || !m.Finished.Equal(t0.Add(3*time.Hour)) || m.Command != "run` + `run --cells y,z" {
		t.Fatalf("span %v – %v, command %q", m.Started, m.Finished, m.Command)
	}
	if len(mergeRuns(nil).Cells) != 0 {
		t.Fatal("empty merge")
	}
}
