// Package driver runs one transfer tool across the emulated link and
// measures it: goodput, retransmissions, sender and receiver CPU time and
// peak RSS (from the rusage of the processes it started), and a time
// series where the tool provides one. Every run is bounded in time.
package driver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"time"

	"github.com/jetstream-go/jetstream/bench/netns"
)

// ErrNotAvailable marks a tool that cannot run here (not installed, not
// wired yet, unsupported congestion control); the report shows the reason.
var ErrNotAvailable = errors.New("not available")

// NotAvailable returns an ErrNotAvailable error with a reason.
func NotAvailable(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrNotAvailable, fmt.Sprintf(format, args...))
}

// Env is the benchmark network and scratch space shared by all runs.
type Env struct {
	A, B    *netns.Namespace // sender side, receiver side
	AddrB   netip.Addr       // receiver address (inside B)
	WorkDir string           // scratch directory, removed by the caller
	Log     io.Writer        // tool diagnostics
}

// Spec is one tool run.
type Spec struct {
	Duration time.Duration // how long the transfer should last
	RateBps  int64         // link rate, used to size transfers
	Flow     int           // 0-based index among concurrent flows (ports)
	Flows    int           // number of concurrent flows (0 or 1: alone)
}

// Usage is what the kernel accounted to one process tree.
type Usage struct {
	CPUSeconds float64 `json:"cpu_s"`        // user + system, including reaped children
	PeakRSSKiB int64   `json:"peak_rss_kib"` // largest RSS of the process or any reaped child
}

// Sample is one point of a transfer's time series.
type Sample struct {
	T     float64 `json:"t_s"`
	Mbit  float64 `json:"mbit_s"`
	RTTms float64 `json:"rtt_ms,omitempty"`
}

// Result is what one run measured.
type Result struct {
	Tool    string  `json:"tool"`
	Bytes   int64   `json:"bytes"`   // payload bytes delivered to the receiver
	Seconds float64 `json:"seconds"` // time the transfer took (see WallSeconds)
	// WallSeconds is the whole client run when it is longer than Seconds:
	// for jetstream, jscp's start to completion including the API login,
	// where Seconds counts from the transfer's start (as iperf3 leaves out
	// its control connection). 0 means the same as Seconds.
	WallSeconds float64  `json:"wall_seconds,omitempty"`
	GoodputMbit float64  `json:"goodput_mbit"` // Bytes*8/Seconds/1e6
	RetransPct  float64  `json:"retrans_pct"`  // retransmitted share of sent segments; -1 unknown
	Sender      Usage    `json:"sender"`
	Receiver    Usage    `json:"receiver"`
	Series      []Sample `json:"series,omitempty"`
	Note        string   `json:"note,omitempty"` // e.g. "timed out: partial transfer"
}

// Wall is the whole client run: WallSeconds when set, else Seconds.
func (r Result) Wall() float64 { return max(r.WallSeconds, r.Seconds) }

// Driver runs one tool.
type Driver interface {
	// Name is the tool name used in scenario files and reports.
	Name() string
	// Check reports whether the tool can run (an ErrNotAvailable error
	// says why not).
	Check(ctx context.Context) error
	// Run performs one bounded transfer from A to B.
	Run(ctx context.Context, env *Env, s Spec) (Result, error)
}

func goodput(bytes int64, seconds float64) float64 {
	if seconds <= 0 {
		return 0
	}
	return float64(bytes) * 8 / seconds / 1e6
}
