package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/jetstream-go/jetstream/bench/report"
)

// RenderCmd re-renders a report from one or more results.json files.
type RenderCmd struct {
	In  []string `default:"bench/results/results.json" help:"results.json of earlier runs (repeatable or comma-separated); later files replace cells of the same name and add new ones."`
	Out string   `default:"bench/results" help:"Directory for REPORT.md, results.json and the plots."`
}

// Run rewrites REPORT.md, results.json and the plots (no root needed).
func (c *RenderCmd) Run(env *runEnv) error {
	var runs []report.Run
	for _, in := range c.In {
		b, err := os.ReadFile(in)
		if err != nil {
			return err
		}
		var r report.Run
		if err := json.Unmarshal(b, &r); err != nil {
			return fmt.Errorf("%s: %w", in, err)
		}
		runs = append(runs, r)
	}
	r := mergeRuns(runs)
	out, err := writeDir(c.Out)
	if err != nil {
		return err
	}
	if err := report.Write(out, &r); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "wanbench: wrote %s\n", filepath.Join(out, "REPORT.md"))
	return nil
}

// mergeRuns combines runs in order: a later run's cell replaces an earlier
// cell of the same name in place, new cells are appended; the span covers
// all runs and the commands are listed.
func mergeRuns(runs []report.Run) report.Run {
	if len(runs) == 0 {
		return report.Run{}
	}
	m := runs[0]
	var cmds []string
	if m.Command != "" {
		cmds = append(cmds, m.Command)
	}
	for _, r := range runs[1:] {
		if r.Started.Before(m.Started) {
			m.Started = r.Started
		}
		if r.Finished.After(m.Finished) {
			m.Finished = r.Finished
		}
		if r.Command != "" {
			cmds = append(cmds, r.Command)
		}
		m.Capacity = append(m.Capacity, r.Capacity...)
		m.Cells = replaceCells(m.Cells, r.Cells)
	}
	m.Command = strings.Join(cmds, "` + `")
	return m
}

// replaceCells puts every cell of later in place of the earlier results of
// the same cell (all runs of a repeated one), or at the end.
func replaceCells(cells, later []report.CellResult) []report.CellResult {
	for i := 0; i < len(later); {
		name := later[i].Cell.Name
		j := i
		for j < len(later) && later[j].Cell.Name == name {
			j++
		}
		at, kept := -1, cells[:0:0]
		for _, c := range cells {
			if c.Cell.Name == name {
				if at < 0 {
					at = len(kept)
				}
				continue
			}
			kept = append(kept, c)
		}
		if at < 0 {
			at = len(kept)
		}
		cells = append(kept[:at:at], append(slices.Clone(later[i:j]), kept[at:]...)...)
		i = j
	}
	return cells
}
