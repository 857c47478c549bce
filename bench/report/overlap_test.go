package report

import (
	"math"
	"strings"
	"testing"

	"github.com/jetstream-go/jetstream/bench/driver"
	"github.com/jetstream-go/jetstream/bench/scenario"
)

// series samples rate(t) every half second over (from, to].
func series(from, to float64, rate func(t float64) float64) []driver.Sample {
	var s []driver.Sample
	for t := from + 0.5; t <= to+1e-9; t += 0.5 {
		s = append(s, driver.Sample{T: t, Mbit: rate(t)})
	}
	return s
}

func TestOverlapShares(t *testing.T) {
	// A fixed-size transfer starved to 5 Mbit/s while a 20 s CUBIC run had
	// 95, then alone at 100 until t = 33: over its own run it averages 40 %.
	js := ToolRun{Result: driver.Result{Tool: "jetstream", Series: series(1, 33, func(t float64) float64 {
		if t <= 20.5 {
			return 5
		}
		return 100
	})}, Status: StatusOK, Fraction: 0.40}
	cubic := ToolRun{Result: driver.Result{Tool: "iperf3-cubic", Series: series(0.5, 20.5, func(float64) float64 { return 95 })},
		Status: StatusOK, Fraction: 0.95}
	s, secs, ok := overlapShares([]ToolRun{js, cubic}, 100)
	if !ok || math.Abs(s[0]-0.05) > 1e-9 || math.Abs(s[1]-0.95) > 1e-9 || secs != 19 {
		t.Fatalf("shares %v over %v s (ok %v), want 0.05 and 0.95 over 19 s", s, secs, ok)
	}
	c := &CellResult{Cell: scenario.Cell{Name: "fair-vs-cubic", RateMbit: 100, Flows: []string{"jetstream", "iperf3-cubic"}},
		Concurrent: true, Runs: []ToolRun{js, cubic}}
	v, ok := Evaluate(c)
	if !ok || v.Status != VerdictNotMet || !strings.Contains(v.Detail, "jetstream 5.0 %") || !strings.Contains(v.Detail, "while both ran (19 s)") {
		t.Fatalf("verdict %+v", v)
	}
	// The cell's section says it too, under the table of own-run averages.
	var b strings.Builder
	writeCell(&b, c)
	if !strings.Contains(b.String(), "While all flows ran (19 s), share of the link: jetstream 5.0 %, iperf3-cubic 95.0 %.") {
		t.Fatalf("cell section:\n%s", b.String())
	}

	// Too little overlap: fall back to each run's own average, and say so.
	short := cubic
	short.Series = series(0.5, 2, func(float64) float64 { return 95 })
	if _, _, ok := overlapShares([]ToolRun{js, short}, 100); ok {
		t.Fatal("a 1 s overlap was judged")
	}
	c.Runs = []ToolRun{js, short}
	if v, _ := Evaluate(c); v.Status != VerdictMet || !strings.Contains(v.Detail, "own run") {
		t.Fatalf("fallback verdict %+v", v)
	}
	if _, _, ok := overlapShares([]ToolRun{js, {}}, 100); ok {
		t.Fatal("a run without a series was judged")
	}
}
