package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/jetstream-go/jetstream/bench/report"
)

// RenderCmd re-renders a report from a results.json.
type RenderCmd struct {
	In  string `default:"bench/results/results.json" type:"existingfile" help:"results.json of an earlier run."`
	Out string `default:"bench/results" help:"Directory for REPORT.md and the plots."`
}

// Run rewrites REPORT.md and the plots (no root needed).
func (c *RenderCmd) Run(env *runEnv) error {
	b, err := os.ReadFile(c.In)
	if err != nil {
		return err
	}
	var r report.Run
	if err := json.Unmarshal(b, &r); err != nil {
		return fmt.Errorf("%s: %w", c.In, err)
	}
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
