package report

import (
	"strings"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/bench/driver"
	"github.com/jetstream-go/jetstream/bench/linkemu"
	"github.com/jetstream-go/jetstream/bench/scenario"
)

func run(tool string, frac float64) ToolRun {
	return ToolRun{Status: StatusOK, Fraction: frac, Result: driver.Result{Tool: tool}}
}

func TestEvaluate(t *testing.T) {
	solo := scenario.Cell{Name: "t", TargetFraction: 0.9, Target: "jetstream >= 90 %"}
	two := scenario.Cell{Name: "two", Flows: []string{"jetstream", "jetstream"}}
	vsCubic := scenario.Cell{Name: "vc", Flows: []string{"jetstream", "iperf3-cubic"}}
	low := scenario.Cell{Name: "low", Flows: []string{"jetstream-low", "iperf3-cubic"}}
	queue := scenario.Cell{Name: "q", Target: "jetstream (fair) adds <= 30 ms of queueing delay"}
	withQ := func(ms float64) ToolRun {
		r := run("jetstream", 0.9)
		r.Emu = &Emulator{Stats: linkemu.Stats{AtoB: linkemu.DirStats{QueueDelayMeanMS: ms, QueueDelayMaxMS: 2 * ms}}}
		return r
	}
	secs := func(tool string, s float64) ToolRun {
		r := run(tool, 0.01)
		r.Seconds = s
		return r
	}
	rtt100 := scenario.Cell{Name: "one", RTT: scenario.Duration{Duration: 100 * time.Millisecond}}
	rss := scenario.Cell{Name: "rss", Target: "peak RSS of a daemon <= 256 MiB"}
	withRSS := func(kib int64) ToolRun {
		r := run("jetstream", 0.9)
		r.Receiver.PeakRSSKiB, r.Sender.PeakRSSKiB = kib, 20<<10
		return r
	}
	failed := ToolRun{Status: StatusError, Result: driver.Result{Tool: "jetstream"}}
	tests := []struct {
		name   string
		c      CellResult
		want   string
		detail string
	}{
		{"solo met", CellResult{Cell: solo, Runs: []ToolRun{run("jetstream", 0.93), run("iperf3-bbr", 0.5)}}, VerdictMet, "jetstream / TCP = 1.86"},
		{"solo not met", CellResult{Cell: solo, Runs: []ToolRun{run("jetstream", 0.5)}}, VerdictNotMet, "50.0 %"},
		{"solo failed", CellResult{Cell: solo, Runs: []ToolRun{failed}}, VerdictNotRun, ""},
		{"two fair", CellResult{Cell: two, Concurrent: true, Runs: []ToolRun{run("jetstream", 0.47), run("jetstream", 0.46)}}, VerdictMet, "together 93.0 %"},
		{"two unfair", CellResult{Cell: two, Concurrent: true, Runs: []ToolRun{run("jetstream", 0.7), run("jetstream", 0.25)}}, VerdictNotMet, ""},
		{"two underused", CellResult{Cell: two, Concurrent: true, Runs: []ToolRun{run("jetstream", 0.42), run("jetstream", 0.42)}}, VerdictNotMet, ""},
		{"one of two missing", CellResult{Cell: two, Concurrent: true, Runs: []ToolRun{run("jetstream", 0.5)}}, VerdictNotRun, ""},
		{"vs cubic met", CellResult{Cell: vsCubic, Concurrent: true, Runs: []ToolRun{run("jetstream", 0.6), run("iperf3-cubic", 0.3)}}, VerdictMet, ""},
		{"vs cubic starves", CellResult{Cell: vsCubic, Concurrent: true, Runs: []ToolRun{run("jetstream", 0.9), run("iperf3-cubic", 0.05)}}, VerdictNotMet, ""},
		{"low yields", CellResult{Cell: low, Concurrent: true, Runs: []ToolRun{run("jetstream-low", 0.1), run("iperf3-cubic", 0.85)}}, VerdictMet, ""},
		{"low grabs", CellResult{Cell: low, Concurrent: true, Runs: []ToolRun{run("jetstream-low", 0.5), run("iperf3-cubic", 0.45)}}, VerdictNotMet, ""},
		{"many files", CellResult{Cell: scenario.Cell{Name: "mf"}, Runs: []ToolRun{secs("jetstream-10k", 2.5)}}, VerdictMet, "4000 files/s"},
		{"many files slow", CellResult{Cell: scenario.Cell{Name: "mf"}, Runs: []ToolRun{secs("jetstream-10k", 10)}}, VerdictNotMet, "1000 files/s"},
		{"small file", CellResult{Cell: rtt100, Runs: []ToolRun{secs("jetstream-1k", 0.45)}}, VerdictMet, "4.5 RTT"},
		{"small file slow", CellResult{Cell: rtt100, Runs: []ToolRun{secs("jetstream-1k", 0.9)}}, VerdictNotMet, "9.0 RTT"},
		{"rss", CellResult{Cell: rss, Runs: []ToolRun{withRSS(300 << 10)}}, VerdictNotMet, "300 MiB"},
		{"rss ok", CellResult{Cell: rss, Runs: []ToolRun{withRSS(100 << 10)}}, VerdictMet, "100 MiB"},
		{"queue ok", CellResult{Cell: queue, Runs: []ToolRun{withQ(12)}}, VerdictMet, "12.0 ms"},
		{"queue high", CellResult{Cell: queue, Runs: []ToolRun{withQ(80)}}, VerdictNotMet, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, ok := Evaluate(&tt.c)
			if !ok || v.Status != tt.want || !strings.Contains(v.Detail, tt.detail) {
				t.Fatalf("Evaluate = %+v, %v; want %s with %q", v, ok, tt.want, tt.detail)
			}
		})
	}
	if _, ok := Evaluate(&CellResult{Cell: scenario.Cell{Name: "sweep"}}); ok {
		t.Error("a cell without a target was evaluated")
	}
}

func TestWriteVerdicts(t *testing.T) {
	var b strings.Builder
	writeVerdicts(&b, &Run{Cells: []CellResult{{Cell: scenario.Cell{Name: "sweep"}}}})
	if b.Len() != 0 {
		t.Fatalf("no targets, got %q", b.String())
	}
	writeVerdicts(&b, &Run{Cells: []CellResult{{Cell: scenario.Cell{Name: "t", TargetFraction: 0.9, Target: "x | y"}, Runs: []ToolRun{run("jetstream", 0.95)}}}})
	if !strings.Contains(b.String(), "| t | x \\| y | met |") {
		t.Fatalf("table %q", b.String())
	}
}

// TestRepeatedCellVerdict: the runs of a repeated cell give one verdict, met
// when most runs met the target; every run's numbers stay in the detail.
func TestRepeatedCellVerdict(t *testing.T) {
	c := scenario.Cell{Name: "t", TargetFraction: 0.9, Target: ">= 90 %", Repeat: 3}
	rep := func(n int, f float64) CellResult {
		return CellResult{Cell: c, Rep: n, Runs: []ToolRun{run("jetstream", f)}}
	}
	failed := CellResult{Cell: c, Rep: 3, Runs: []ToolRun{{Status: StatusError, Result: driver.Result{Tool: "jetstream"}}}}
	for _, tc := range []struct {
		name  string
		cells []CellResult
		want  string
		runs  string
	}{
		{"two of three", []CellResult{rep(1, 0.95), rep(2, 0.85), rep(3, 0.91)}, VerdictMet, "met in 2 of 3 runs"},
		{"one of three", []CellResult{rep(1, 0.95), rep(2, 0.85), rep(3, 0.89)}, VerdictNotMet, "met in 1 of 3 runs"},
		{"tie with a failed run", []CellResult{rep(1, 0.95), rep(2, 0.85), failed}, VerdictNotMet, "met in 1 of 3 runs"},
		{"none ran", []CellResult{failed}, VerdictNotRun, "met in 0 of 1 runs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			other := CellResult{Cell: scenario.Cell{Name: "u", TargetFraction: 0.5}, Runs: []ToolRun{run("jetstream", 0.6)}}
			vs := Verdicts(&Run{Cells: append(append([]CellResult{other}, tc.cells...), other)})
			if len(vs) != 3 || vs[0].Cell != "u" || vs[1].Cell != "t" || vs[2].Cell != "u" {
				t.Fatalf("verdicts %+v, want u, t, u", vs)
			}
			v := vs[1]
			if v.Status != tc.want || !strings.HasPrefix(v.Detail, tc.runs) || !strings.Contains(v.Detail, "run 1: ") {
				t.Fatalf("verdict %q %q, want %q and %q", v.Status, v.Detail, tc.want, tc.runs)
			}
		})
	}
}
