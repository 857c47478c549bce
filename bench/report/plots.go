package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"github.com/jetstream-go/jetstream/bench/plot"
	"github.com/jetstream-go/jetstream/bench/scenario"
)

// Plot file names.
const (
	PlotRTT        = "goodput_vs_rtt.png"
	PlotLoss       = "goodput_vs_loss.png"
	PlotTimeSeries = "timeseries.png"
)

// sweep builds one series per tool of goodput (% of link) against x over
// the single-tool cells of group (all single-tool cells when the group has
// fewer than two).
func sweep(r *Run, group string, x func(*scenario.Cell) float64) []plot.Series {
	var cells []*CellResult
	for i := range r.Cells {
		if c := &r.Cells[i]; !c.Concurrent && c.Cell.Group == group {
			cells = append(cells, c)
		}
	}
	if len(cells) < 2 {
		cells = cells[:0]
		for i := range r.Cells {
			if !r.Cells[i].Concurrent {
				cells = append(cells, &r.Cells[i])
			}
		}
	}
	type pt struct{ x, y float64 }
	byTool := map[string][]pt{}
	for _, c := range cells {
		for _, run := range c.Runs {
			if run.Status == StatusOK {
				byTool[run.Tool] = append(byTool[run.Tool], pt{x(&c.Cell), run.Fraction * 100})
			}
		}
	}
	var series []plot.Series
	for _, tool := range scenario.KnownTools {
		pts := byTool[tool]
		if len(pts) == 0 {
			continue
		}
		sort.SliceStable(pts, func(i, j int) bool { return pts[i].x < pts[j].x })
		s := plot.Series{Name: tool, Markers: true, Color: plot.Palette[slices.Index(scenario.KnownTools, tool)%len(plot.Palette)]}
		for _, p := range pts {
			s.X, s.Y = append(s.X, p.x), append(s.Y, p.y)
		}
		series = append(series, s)
	}
	return series
}

// pickTransfer chooses the run whose time series is plotted: a jetstream
// run if there is one, else the TCP run that used the most of its link,
// preferring target cells (a run that barely moves shows nothing).
func pickTransfer(r *Run) (*CellResult, *ToolRun) {
	score := func(c *CellResult, t *ToolRun) float64 {
		if t.Status != StatusOK || len(t.Series) < 2 || c.Concurrent {
			return -1
		}
		s := t.Fraction * 100
		if t.Tool == scenario.ToolJetstream {
			s += 1000
		}
		if c.Cell.Group == "target" {
			s += 20
		}
		return s
	}
	var bc *CellResult
	var bt *ToolRun
	best := -1.0
	for i := range r.Cells {
		for j := range r.Cells[i].Runs {
			if s := score(&r.Cells[i], &r.Cells[i].Runs[j]); s > best {
				best, bc, bt = s, &r.Cells[i], &r.Cells[i].Runs[j]
			}
		}
	}
	return bc, bt
}

func timeSeries(c *CellResult, t *ToolRun) []*plot.Chart {
	rate := &plot.Chart{Title: fmt.Sprintf("%s in %s (%s): rate", t.Tool, c.Cell.Name, c.Cell.Describe()), XLabel: "time (s)", YLabel: "Mbit/s", Height: 360}
	rtt := &plot.Chart{Title: "round-trip time", XLabel: "time (s)", YLabel: "ms", Height: 360}
	var rs, rt plot.Series
	rs.Name, rt.Name = t.Tool+" goodput", t.Tool+" smoothed RTT"
	for _, s := range t.Series {
		rs.X, rs.Y = append(rs.X, s.T), append(rs.Y, s.Mbit)
		if s.RTTms > 0 {
			rt.X, rt.Y = append(rt.X, s.T), append(rt.Y, s.RTTms)
		}
	}
	rate.Series = append(rate.Series, rs)
	if len(rt.X) > 0 {
		rtt.Series = append(rtt.Series, rt)
	}
	if t.Emu != nil && len(t.Emu.Series) > 1 {
		base := float64(c.Cell.RTT.Milliseconds())
		ef := plot.Series{Name: "link A->B forwarded"}
		eq := plot.Series{Name: "base RTT + queue delay"}
		for _, s := range t.Emu.Series {
			ef.X, ef.Y = append(ef.X, s.T), append(ef.Y, s.MbitAB)
			eq.X, eq.Y = append(eq.X, s.T), append(eq.Y, base+s.QueueMS)
		}
		rate.Series = append(rate.Series, ef)
		rtt.Series = append(rtt.Series, eq)
	}
	rate.YMax = c.Cell.RateMbit * 1.15
	if len(rtt.Series) == 0 {
		return []*plot.Chart{rate}
	}
	return []*plot.Chart{rate, rtt}
}

// WritePlots renders the plots into dir and returns the names written.
func WritePlots(dir string, r *Run) ([]string, error) {
	var names []string
	var errs []error
	write := func(name string, render func(*bytes.Buffer) error) {
		var buf bytes.Buffer
		if err := render(&buf); err != nil {
			if !errors.Is(err, plot.ErrNoData) {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
			}
			return
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			errs = append(errs, err)
			return
		}
		names = append(names, name)
	}
	write(PlotRTT, func(b *bytes.Buffer) error {
		c := plot.Chart{Title: "Goodput vs RTT", XLabel: "RTT (ms)", YLabel: "goodput, % of link", YFromZero: true,
			Series: sweep(r, "rtt", func(c *scenario.Cell) float64 { return float64(c.RTT.Milliseconds()) })}
		return c.WritePNG(b)
	})
	write(PlotLoss, func(b *bytes.Buffer) error {
		c := plot.Chart{Title: "Goodput vs random loss", XLabel: "loss (%)", YLabel: "goodput, % of link", YFromZero: true,
			Series: sweep(r, "loss", func(c *scenario.Cell) float64 { return c.LossPct })}
		return c.WritePNG(b)
	})
	if c, t := pickTransfer(r); t != nil {
		write(PlotTimeSeries, func(b *bytes.Buffer) error { return plot.StackPNG(b, timeSeries(c, t)...) })
	}
	return names, errors.Join(errs...)
}

// Write stores results.json, the plots and REPORT.md in dir.
func Write(dir string, r *Run) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	js, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "results.json"), append(js, '\n'), 0o644); err != nil {
		return err
	}
	plots, perr := WritePlots(dir, r)
	var md bytes.Buffer
	if err := WriteMarkdown(&md, r, plots); err != nil {
		return err
	}
	return errors.Join(perr, os.WriteFile(filepath.Join(dir, "REPORT.md"), md.Bytes(), 0o644))
}
