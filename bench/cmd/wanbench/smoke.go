package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jetstream-go/jetstream/bench/linkemu"
	"github.com/jetstream-go/jetstream/bench/report"
	"github.com/jetstream-go/jetstream/bench/scenario"
)

// SmokeCmd runs the smoke cell and checks it.
type SmokeCmd struct {
	setupFlags
	Out  string `help:"Directory for the smoke report (default: a temporary directory, removed unless --keep)."`
	Keep bool   `help:"Keep the smoke report directory."`
}

// Run executes the smoke cell, prints its table and validates it.
func (c *SmokeCmd) Run(env *runEnv) error {
	start := time.Now()
	m, err := scenario.Default()
	if err != nil {
		return err
	}
	cells, err := m.Select([]string{"smoke"})
	if err != nil {
		return err
	}
	b, err := c.open(env)
	if err != nil {
		return err
	}
	defer b.close()
	r, _ := runMatrix(env.ctx, b, cells, "wanbench smoke")
	out := c.Out
	if out == "" {
		if out, err = os.MkdirTemp("", "wanbench-smoke-"); err != nil {
			return err
		}
		if !c.Keep {
			defer os.RemoveAll(out)
		}
	}
	if err := report.Write(out, r); err != nil {
		return err
	}
	if err := printTable(env.stdout, filepath.Join(out, "REPORT.md"), "## smoke"); err != nil {
		return err
	}
	if env.ctx.Err() != nil {
		return env.ctx.Err()
	}
	if len(r.Cells) != 1 {
		return errors.New("smoke: cell did not run")
	}
	if err := checkSmoke(&r.Cells[0]); err != nil {
		return fmt.Errorf("smoke: %w", err)
	}
	fmt.Fprintf(env.stdout, "wanbench: smoke passed in %.0fs\n", time.Since(start).Seconds())
	return nil
}

// checkSmoke demands that jetstream, iperf3-cubic and scp ran and moved data, and
// that the emulator's loss accounting matches the configured 0.5 %.
func checkSmoke(c *report.CellResult) error {
	var errs []error
	seen := map[string]bool{}
	for _, r := range c.Runs {
		seen[r.Tool] = true
		switch {
		case r.Status == report.StatusError:
			errs = append(errs, fmt.Errorf("%s: %s", r.Tool, r.Error))
		case r.Status == report.StatusNA:
			errs = append(errs, fmt.Errorf("%s not available: %s", r.Tool, r.Error))
		case r.Status == report.StatusOK && !(r.GoodputMbit > 0):
			errs = append(errs, fmt.Errorf("%s moved no data", r.Tool))
		}
		if r.Tool == scenario.ToolCubic && r.Status == report.StatusOK && r.Emu != nil {
			errs = append(errs, checkLossReplay(&c.Cell, r.Emu.Stats.AtoB))
		}
	}
	for _, t := range []string{scenario.ToolJetstream, scenario.ToolCubic, scenario.ToolSCP} {
		if !seen[t] {
			errs = append(errs, fmt.Errorf("%s did not run", t))
		}
	}
	return errors.Join(errs...)
}

// checkLossReplay audits the emulator's loss counter: with a seeded model
// whose only randomness is Bernoulli loss, the k-th packet that reached the
// wire is lost or not independently of timing, so replaying the model over
// the same number of packets must give exactly the same count.
func checkLossReplay(c *scenario.Cell, ab linkemu.DirStats) error {
	cfg, _, err := c.LinkConfigs()
	if err != nil {
		return err
	}
	if ab.ReadErrors != 0 {
		return fmt.Errorf("emulator had %d read errors", ab.ReadErrors)
	}
	n := ab.Received - ab.DroppedQueue // packets that reached the wire
	if n < 1000 {
		return fmt.Errorf("emulator saw only %d data packets", n)
	}
	l, err := linkemu.NewLink(cfg, c.Seed)
	if err != nil {
		return err
	}
	var want uint64
	for i := range n {
		if l.Offer(time.Duration(i)*time.Second, 1500).Verdict == linkemu.DropLoss {
			want++
		}
	}
	if ab.DroppedLoss != want {
		return fmt.Errorf("emulator dropped %d of %d packets for loss; replaying the seeded model gives %d", ab.DroppedLoss, n, want)
	}
	return nil
}

// printTable copies the section starting at heading from a markdown file.
func printTable(w io.Writer, path, heading string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	s := string(b)
	i := strings.Index(s, heading)
	if i < 0 {
		return fmt.Errorf("%s: no %q section", path, heading)
	}
	s = s[i:]
	if j := strings.Index(s[len(heading):], "\n## "); j >= 0 {
		s = s[:len(heading)+j+1]
	}
	_, err = io.WriteString(w, s)
	return err
}
