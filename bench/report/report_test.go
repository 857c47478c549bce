package report

import (
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/bench/driver"
	"github.com/jetstream-go/jetstream/bench/linkemu"
	"github.com/jetstream-go/jetstream/bench/scenario"
)

func sampleRun(t *testing.T) *Run {
	t.Helper()
	m, err := scenario.Default()
	if err != nil {
		t.Fatal(err)
	}
	r := &Run{Started: time.Unix(1700000000, 0), Finished: time.Unix(1700000600, 0), Host: "test", Command: "wanbench run"}
	for _, name := range []string{"rtt-10ms", "rtt-50ms", "rtt-100ms", "loss-0", "loss-1", "cubic-vs-bbr"} {
		cells, err := m.Select([]string{name})
		if err != nil {
			t.Fatal(err)
		}
		c := CellResult{Cell: cells[0], Concurrent: len(cells[0].Flows) > 0}
		emu := &Emulator{Stats: linkemu.Stats{ElapsedS: 20, AtoB: linkemu.DirStats{Forwarded: 1000, DroppedLoss: 3, DroppedQueue: 7, QueueDelayMeanMS: 4.5}}, CPU: driver.Usage{CPUSeconds: 2},
			Series: []EmuSample{{T: 0.25, MbitAB: 90, QueueMS: 1}, {T: 0.5, MbitAB: 95, QueueMS: 3}}}
		frac := 0.9 - float64(cells[0].RTT.Milliseconds())/1000
		c.Runs = append(c.Runs, ToolRun{Status: StatusOK, Fraction: frac, Emu: emu, Result: driver.Result{Tool: "iperf3-cubic", Bytes: 1e8, Seconds: 20, GoodputMbit: 40, RetransPct: 0.5,
			Sender: driver.Usage{CPUSeconds: 4, PeakRSSKiB: 4096}, Receiver: driver.Usage{CPUSeconds: 2, PeakRSSKiB: 2048},
			Series: []driver.Sample{{T: 0.5, Mbit: 30, RTTms: 22}, {T: 1, Mbit: 50, RTTms: 25}}}})
		c.Runs = append(c.Runs, ToolRun{Status: StatusNA, Error: "not available: jetstream driver not wired yet", Result: driver.Result{Tool: "jetstream", RetransPct: -1}})
		c.Runs = append(c.Runs, ToolRun{Status: StatusOK, Fraction: frac / 2, Emu: emu, Result: driver.Result{Tool: "scp", Bytes: 5e7, Seconds: 20, GoodputMbit: 20, RetransPct: -1, Note: "stopped | at deadline"}})
		if c.Concurrent {
			c.Emu, c.Runs[0].Emu, c.Runs[2].Emu = emu, nil, nil
		}
		r.Cells = append(r.Cells, c)
	}
	r.Capacity = []Capacity{{Name: "tcp", Seconds: 5, Packets: 100, PPS: 20, Offload: true}}
	r.Notes = []string{"note one"}
	return r
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	r := sampleRun(t)
	if err := Write(dir, r); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, "REPORT.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"## rtt-50ms", "200 Mbit/s, RTT 50ms, loss 0.1%",
		"| iperf3-cubic | 40.0 | 85.0 | 0.50 | 20 | 10 | 4 / 2 | 1000 / 3 / 7 | 4.5 / 0.0 | 0.0 / 0 | 0 | 10 |",
		"| jetstream | – |", "n/a: not available: jetstream driver not wired yet",
		"stopped \\| at deadline", "flows together: iperf3-cubic + iperf3-bbr", "(link, all flows)",
		"## Emulator capacity", "![goodput_vs_rtt](goodput_vs_rtt.png)", "- note one",
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("REPORT.md lacks %q", want)
		}
	}
	for _, name := range []string{PlotRTT, PlotLoss, PlotTimeSeries} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(f); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		f.Close()
	}
	js, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var back Run
	if err := json.Unmarshal(js, &back); err != nil || len(back.Cells) != len(r.Cells) {
		t.Fatalf("results.json: %v, %d cells", err, len(back.Cells))
	}
}

func TestSweepUsesGroupAndSkipsFailures(t *testing.T) {
	r := sampleRun(t)
	s := sweep(r, "rtt", func(c *scenario.Cell) float64 { return float64(c.RTT.Milliseconds()) })
	if len(s) != 2 || s[0].Name != "iperf3-cubic" || s[1].Name != "scp" || len(s[0].X) != 3 {
		t.Fatalf("series %+v", s)
	}
	if s[0].X[0] != 10 || s[0].X[2] != 100 {
		t.Fatalf("x not sorted by RTT: %v", s[0].X)
	}
	c, tr := pickTransfer(r)
	if tr == nil || tr.Tool != "iperf3-cubic" || c.Concurrent {
		t.Fatalf("pickTransfer = %v %v", c, tr)
	}
}

func TestWritePlotsWithNoResults(t *testing.T) {
	names, err := WritePlots(t.TempDir(), &Run{})
	if err != nil || len(names) != 0 {
		t.Fatalf("WritePlots(empty) = %v, %v", names, err)
	}
}
