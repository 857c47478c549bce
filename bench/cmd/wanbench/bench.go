package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/jetstream-go/jetstream/bench/driver"
	"github.com/jetstream-go/jetstream/bench/netns"
	"github.com/jetstream-go/jetstream/bench/report"
	"github.com/jetstream-go/jetstream/bench/scenario"
)

// tcpMaxBuf raises TCP autotuning maxima inside the namespaces so TCP is
// not window-limited: 64 MiB covers 500 Mbit/s × 300 ms (19 MB) twice over.
const tcpMaxBuf = 64 << 20

// bench is one benchmark session: the namespace pair, scratch space, and
// the drivers.
type bench struct {
	log     io.Writer
	linkemu string
	pair    *netns.Pair
	env     *driver.Env
	work    string
	drivers map[string]driver.Driver
}

type setupOpts struct {
	linkemu   string
	noInstall bool
	offload   bool
}

// newBench checks privileges, removes stale namespaces of dead runs,
// installs missing tools, and builds the namespace pair.
func newBench(ctx context.Context, log io.Writer, o setupOpts) (_ *bench, err error) {
	if err := netns.RequireRoot(); err != nil {
		return nil, err
	}
	if _, err := os.Stat("/dev/net/tun"); err != nil {
		return nil, fmt.Errorf("no /dev/net/tun: %w", err)
	}
	if removed, err := netns.RemoveStale(ctx); err != nil {
		fmt.Fprintf(log, "wanbench: removing stale namespaces: %v\n", err)
	} else if len(removed) > 0 {
		fmt.Fprintf(log, "wanbench: removed stale namespaces %s\n", strings.Join(removed, ", "))
	}
	if !o.noInstall {
		reqs := append([]driver.Requirement{driver.ReqIP, driver.ReqIperf3}, driver.ReqSCP...)
		if err := driver.Install(ctx, log, reqs); err != nil {
			return nil, fmt.Errorf("installing tools: %w", err)
		}
	}
	b := &bench{log: log, linkemu: o.linkemu}
	defer func() {
		if err != nil {
			b.close()
		}
	}()
	if b.work, err = os.MkdirTemp("", "wanbench-"); err != nil {
		return nil, err
	}
	b.pair, err = netns.NewPair(ctx, netns.PairConfig{Suffix: fmt.Sprint(os.Getpid()), TCPMaxBuf: tcpMaxBuf, Offload: o.offload})
	if err != nil {
		return nil, err
	}
	b.env = &driver.Env{A: b.pair.A, B: b.pair.B, AddrB: b.pair.Cfg.AddrB.Addr(), WorkDir: b.work, Log: log}
	b.drivers = map[string]driver.Driver{
		scenario.ToolJetstream:          driver.Jetstream{},
		scenario.ToolJetstreamLow:       driver.Jetstream{Policy: "low"},
		scenario.ToolJetstreamFixed:     driver.Jetstream{Policy: "fixed"},
		scenario.ToolJetstreamManyFiles: driver.Jetstream{Files: 10000, FileBytes: 4096, Label: "10k"},
		scenario.ToolJetstreamSmallFile: driver.Jetstream{Files: 1, FileBytes: 1024, Label: "1k"},
		scenario.ToolCubic:              driver.Iperf3{CC: "cubic"},
		scenario.ToolBBR:                driver.Iperf3{CC: "bbr"},
		scenario.ToolSCP:                &driver.SCP{},
	}
	return b, nil
}

// close removes everything the session created. It is safe to call twice.
func (b *bench) close() error {
	var errs []error
	for _, d := range b.drivers {
		if c, ok := d.(io.Closer); ok {
			errs = append(errs, c.Close())
		}
	}
	if b.pair != nil {
		errs = append(errs, b.pair.Close(context.Background()))
		b.pair = nil
	}
	if b.work != "" {
		errs = append(errs, os.RemoveAll(b.work))
		b.work = ""
	}
	return errors.Join(errs...)
}

// loadAvg is the 1-minute load average (0 when unreadable).
func loadAvg() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	var l float64
	if _, err := fmt.Sscan(string(b), &l); err != nil {
		return 0
	}
	return l
}

func hostInfo() string {
	kernel, _ := os.ReadFile("/proc/sys/kernel/osrelease")
	return fmt.Sprintf("Linux %s, %d CPUs", strings.TrimSpace(string(kernel)), runtime.NumCPU())
}

func toolRun(res driver.Result, err error, rateMbit float64) report.ToolRun {
	tr := report.ToolRun{Result: res, Status: report.StatusOK}
	switch {
	case errors.Is(err, driver.ErrNotAvailable):
		tr.Status, tr.Error = report.StatusNA, err.Error()
	case err != nil:
		tr.Status, tr.Error = report.StatusError, err.Error()
	}
	if rateMbit > 0 {
		tr.Fraction = res.GoodputMbit / rateMbit
	}
	return tr
}

// runCell runs every tool of a cell alone, or its flows together.
func (b *bench) runCell(ctx context.Context, c scenario.Cell) report.CellResult {
	out := report.CellResult{Cell: c, Concurrent: len(c.Flows) > 0}
	ab, ba, err := c.LinkConfigs()
	if err != nil {
		out.Note = err.Error()
		return out
	}
	spec := driver.Spec{Duration: c.Duration.Duration, RateBps: c.RateBps()}
	if !out.Concurrent {
		for i, tool := range c.Tools {
			if ctx.Err() != nil {
				break
			}
			d := b.drivers[tool]
			fmt.Fprintf(b.log, "wanbench: %s: %s (%s, %v)\n", c.Name, tool, c.Describe(), c.Duration)
			if err := d.Check(ctx); err != nil {
				out.Runs = append(out.Runs, toolRun(driver.Result{Tool: tool, RetransPct: -1}, err, c.RateMbit))
				continue
			}
			emu, err := b.startEmu(ctx, ab, ba, c.Seed, fmt.Sprintf("%s-%d", c.Name, i))
			if err != nil {
				out.Runs = append(out.Runs, toolRun(driver.Result{Tool: tool, RetransPct: -1}, err, c.RateMbit))
				continue
			}
			res, runErr := d.Run(ctx, b.env, spec)
			st, emuErr := emu.stop(ctx)
			tr := toolRun(res, errors.Join(runErr, emuErr), c.RateMbit)
			tr.Emu, tr.Load = &st, loadAvg()
			out.Runs = append(out.Runs, tr)
		}
		return out
	}
	fmt.Fprintf(b.log, "wanbench: %s: %s together (%s, %v)\n", c.Name, strings.Join(c.Flows, " + "), c.Describe(), c.Duration)
	var missing []string
	for _, f := range c.Flows {
		if err := b.drivers[f].Check(ctx); err != nil {
			missing = append(missing, fmt.Sprintf("%s (%v)", f, err))
		}
	}
	if len(missing) > 0 {
		out.Note = "Not run: needs " + strings.Join(missing, "; ") + "."
		for _, f := range c.Flows {
			out.Runs = append(out.Runs, toolRun(driver.Result{Tool: f, RetransPct: -1}, driver.NotAvailable("cell needs every flow"), c.RateMbit))
		}
		return out
	}
	emu, err := b.startEmu(ctx, ab, ba, c.Seed, c.Name)
	if err != nil {
		out.Note = err.Error()
		return out
	}
	runs := make([]report.ToolRun, len(c.Flows))
	var wg sync.WaitGroup
	for i, f := range c.Flows {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := spec
			s.Flow, s.Flows = i, len(c.Flows)
			res, err := b.drivers[f].Run(ctx, b.env, s)
			runs[i] = toolRun(res, err, c.RateMbit)
			runs[i].Load = loadAvg()
		}()
	}
	wg.Wait()
	st, emuErr := emu.stop(ctx)
	out.Emu = &st
	if emuErr != nil {
		out.Note = emuErr.Error()
	}
	out.Runs = runs
	return out
}

func writeDir(out string) (string, error) {
	abs, err := filepath.Abs(out)
	if err != nil {
		return "", err
	}
	return abs, os.MkdirAll(abs, 0o755)
}
