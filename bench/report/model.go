// Package report turns benchmark results into bench/results: a JSON dump
// of everything measured, REPORT.md with one table per scenario cell, and
// PNG plots (goodput vs RTT, goodput vs loss, a time series of one
// transfer's rate and RTT).
package report

import (
	"time"

	"github.com/jetstream-go/jetstream/bench/driver"
	"github.com/jetstream-go/jetstream/bench/linkemu"
	"github.com/jetstream-go/jetstream/bench/scenario"
)

// EmuSample is one point of the emulator's own time series.
type EmuSample struct {
	T       float64 `json:"t_s"`
	MbitAB  float64 `json:"mbit_a_to_b"`
	QueueMS float64 `json:"queue_ms_a_to_b"`
}

// Emulator is what the link emulator saw during one run.
type Emulator struct {
	Stats linkemu.Stats `json:"stats"`
	CPU   driver.Usage  `json:"cpu"`
	// KernelDropsA/B are packets the TUN devices dropped because the
	// emulator did not read them fast enough (tx_dropped deltas).
	KernelDropsA uint64      `json:"kernel_drops_a"`
	KernelDropsB uint64      `json:"kernel_drops_b"`
	Series       []EmuSample `json:"series,omitempty"`
}

// ToolRun is one tool's run (or one flow of a concurrent cell).
type ToolRun struct {
	driver.Result
	// Status is "ok", "n/a" (not available: Error says why) or "error".
	Status   string  `json:"status"`
	Error    string  `json:"error,omitempty"`
	Fraction float64 `json:"fraction_of_link"`
	// Emu is the emulator view of this run (nil for flows of a concurrent
	// cell, which share CellResult.Emu).
	Emu *Emulator `json:"emulator,omitempty"`
	// Load is the host's 1-minute load average when the run ended (other
	// work on a shared host skews CPU-sensitive results); 0 = unknown.
	Load float64 `json:"load1,omitempty"`
}

// Statuses of a ToolRun.
const (
	StatusOK    = "ok"
	StatusNA    = "n/a"
	StatusError = "error"
)

// CellResult is one scenario cell's results.
type CellResult struct {
	Cell       scenario.Cell `json:"cell"`
	Concurrent bool          `json:"concurrent"`
	Runs       []ToolRun     `json:"runs"`
	Emu        *Emulator     `json:"emulator,omitempty"` // concurrent cells
	Note       string        `json:"note,omitempty"`
	// Rep is this result's run of a repeated cell (1-based; 0 when the
	// cell ran once).
	Rep int `json:"rep,omitempty"`
}

// Capacity is a measurement of the emulator's own throughput.
type Capacity struct {
	Name      string  `json:"name"`
	Seconds   float64 `json:"seconds"`
	Packets   uint64  `json:"forwarded_packets"`
	PPS       float64 `json:"pps"`
	WireGbit  float64 `json:"wire_gbit_s"`
	Goodput   float64 `json:"goodput_gbit_s"`
	Offload   bool    `json:"offload"`
	EmuCPUPct float64 `json:"emulator_cpu_pct"`
	Drops     uint64  `json:"drops"`
	Note      string  `json:"note,omitempty"`
}

// Run is a whole benchmark run.
type Run struct {
	Started  time.Time    `json:"started"`
	Finished time.Time    `json:"finished"`
	Host     string       `json:"host"` // kernel, cores
	Command  string       `json:"command"`
	Cells    []CellResult `json:"cells"`
	Capacity []Capacity   `json:"capacity,omitempty"`
	Notes    []string     `json:"notes,omitempty"`
}
