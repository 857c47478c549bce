package report

import (
	"fmt"
	"strings"

	"github.com/jetstream-go/jetstream/bench/scenario"
)

// Verdict is the automatic check of one cell's target.
type Verdict struct {
	Cell   string
	Target string
	Status string // "met", "NOT met", "not run"
	Detail string // the numbers behind the verdict
}

// Verdict statuses.
const (
	VerdictMet    = "met"
	VerdictNotMet = "NOT met"
	VerdictNotRun = "not run"
)

// ManyFiles is the file count of the jetstream-10k tool.
const ManyFiles = 10000

// maxAddedQueueMS is the bound on the queueing delay a fair
// transfer adds at a deep bottleneck queue.
const maxAddedQueueMS = 30

// Evaluate checks the targets a cell encodes: a goodput fraction for a
// jetstream flow alone (TargetFraction), the fairness rules for concurrent
// cells (two fair flows; fair or low next to CUBIC), and the added queueing
// delay of a fair flow in a queue-only cell. Cells with none of these give
// ok=false.
func Evaluate(c *CellResult) (v Verdict, ok bool) {
	v = Verdict{Cell: c.Cell.Name, Target: c.Cell.Target}
	runs := map[string][]ToolRun{}
	for _, r := range c.Runs {
		runs[r.Tool] = append(runs[r.Tool], r)
	}
	okRun := func(tool string, n int) ([]ToolRun, bool) {
		rs := runs[tool]
		if len(rs) < n {
			return nil, false
		}
		for _, r := range rs[:n] {
			if r.Status != StatusOK {
				return nil, false
			}
		}
		return rs[:n], true
	}
	set := func(met bool, format string, args ...any) (Verdict, bool) {
		v.Status = VerdictNotMet
		if met {
			v.Status = VerdictMet
		}
		v.Detail = fmt.Sprintf(format, args...)
		return v, true
	}
	notRun := func() (Verdict, bool) {
		v.Status, v.Detail = VerdictNotRun, "a required run is missing or failed"
		return v, true
	}
	flows := strings.Join(c.Cell.Flows, "+")
	// shares judges two concurrent flows on the stretch they ran together,
	// or on their own averages when the series do not overlap long enough.
	shares := func(a, b ToolRun) (float64, float64, string) {
		if s, secs, ok := overlapShares([]ToolRun{a, b}, float64(c.Cell.RateMbit)); ok {
			return s[0], s[1], fmt.Sprintf("while both ran (%.0f s)", secs)
		}
		return a.Fraction, b.Fraction, "(each over its own run: too little overlap in the series)"
	}
	switch {
	case !c.Concurrent && c.Cell.TargetFraction > 0:
		rs, ok := okRun(scenario.ToolJetstream, 1)
		if !ok {
			return notRun()
		}
		f := rs[0].Fraction
		return set(f >= c.Cell.TargetFraction, "jetstream %.1f %% of link (target %.0f %%)%s", f*100, c.Cell.TargetFraction*100, vsTCP(runs, f))
	case flows == scenario.ToolJetstream+"+"+scenario.ToolJetstream:
		rs, ok := okRun(scenario.ToolJetstream, 2)
		if !ok {
			return notRun()
		}
		a, b, how := shares(rs[0], rs[1])
		in := func(x float64) bool { return x >= 0.4 && x <= 0.6 }
		return set(in(a) && in(b) && a+b >= 0.9, "flows %.1f %% and %.1f %%, together %.1f %% %s", a*100, b*100, (a+b)*100, how)
	case flows == scenario.ToolJetstream+"+"+scenario.ToolCubic:
		js, ok1 := okRun(scenario.ToolJetstream, 1)
		tcp, ok2 := okRun(scenario.ToolCubic, 1)
		if !ok1 || !ok2 {
			return notRun()
		}
		a, b, how := shares(js[0], tcp[0])
		return set(a >= 0.25 && b >= 0.25, "jetstream %.1f %%, CUBIC %.1f %% %s", a*100, b*100, how)
	case flows == scenario.ToolJetstreamLow+"+"+scenario.ToolCubic:
		js, ok1 := okRun(scenario.ToolJetstreamLow, 1)
		tcp, ok2 := okRun(scenario.ToolCubic, 1)
		if !ok1 || !ok2 {
			return notRun()
		}
		low, cubic, how := shares(js[0], tcp[0])
		return set(cubic >= 0.8, "CUBIC %.1f %%, jetstream-low %.1f %% %s", cubic*100, low*100, how)
	case !c.Concurrent && len(runs[scenario.ToolJetstreamManyFiles]) > 0:
		rs, ok := okRun(scenario.ToolJetstreamManyFiles, 1)
		if !ok || rs[0].Seconds <= 0 {
			return notRun()
		}
		wall := rs[0].Wall()
		fps := float64(ManyFiles) / wall
		return set(fps >= 3000, "%d files in %.2f s end to end: %.0f files/s", ManyFiles, wall, fps)
	case !c.Concurrent && len(runs[scenario.ToolJetstreamSmallFile]) > 0:
		rs, ok := okRun(scenario.ToolJetstreamSmallFile, 1)
		if !ok || c.Cell.RTT.Duration <= 0 {
			return notRun()
		}
		n := rs[0].Wall() / c.Cell.RTT.Seconds()
		return set(n <= 5, "%.0f ms = %.1f RTT from jscp start to completion", rs[0].Wall()*1000, n)
	case !c.Concurrent && strings.Contains(c.Cell.Target, "RSS"):
		rs, ok := okRun(scenario.ToolJetstream, 1)
		if !ok {
			return notRun()
		}
		rcv, snd := float64(rs[0].Receiver.PeakRSSKiB)/1024, float64(rs[0].Sender.PeakRSSKiB)/1024
		return set(rcv <= 256 && snd <= 256, "daemon (receiver) %.0f MiB, jscp (sender) %.0f MiB at %.1f %% of link", rcv, snd, rs[0].Fraction*100)
	case !c.Concurrent && strings.Contains(c.Cell.Target, "queueing delay"):
		rs, ok := okRun(scenario.ToolJetstream, 1)
		if !ok || rs[0].Emu == nil {
			return notRun()
		}
		q := rs[0].Emu.Stats.AtoB.QueueDelayMeanMS
		return set(q <= maxAddedQueueMS, "mean queueing delay %.1f ms (max %.1f ms) at %.1f %% of link",
			q, rs[0].Emu.Stats.AtoB.QueueDelayMaxMS, rs[0].Fraction*100)
	}
	return v, false
}

// vsTCP compares a jetstream fraction with the best TCP run of the cell.
func vsTCP(runs map[string][]ToolRun, f float64) string {
	best, name := 0.0, ""
	for _, t := range []string{scenario.ToolCubic, scenario.ToolBBR, scenario.ToolSCP} {
		for _, r := range runs[t] {
			if r.Status == StatusOK && r.Fraction > best {
				best, name = r.Fraction, t
			}
		}
	}
	if name == "" {
		return ""
	}
	return fmt.Sprintf("; best TCP %s %.1f %% (jetstream / TCP = %.2f)", name, best*100, f/best)
}

// writeVerdicts renders the verdict table ("" when no cell has a target).
func writeVerdicts(b *strings.Builder, r *Run) {
	vs := Verdicts(r)
	if len(vs) == 0 {
		return
	}
	b.WriteString("## Targets\n\n| cell | target | verdict | measured |\n|---|---|---|---|\n")
	for _, v := range vs {
		fmt.Fprintf(b, "| %s | %s | %s | %s |\n", v.Cell, cell(v.Target), v.Status, cell(v.Detail))
	}
	b.WriteString("\n")
}

// Verdicts evaluates every cell with a target, in run order. The runs of a
// repeated cell give one verdict: met when most runs met it (ties fail);
// the detail lists every run.
func Verdicts(r *Run) []Verdict {
	var vs []Verdict
	idx := map[string]int{} // cell name -> its verdict in vs
	reps := map[string][]Verdict{}
	for i := range r.Cells {
		c := &r.Cells[i]
		v, ok := Evaluate(c)
		if !ok {
			continue
		}
		if c.Rep == 0 {
			vs = append(vs, v)
			continue
		}
		if _, seen := idx[v.Cell]; !seen {
			idx[v.Cell] = len(vs)
			vs = append(vs, v)
		}
		reps[v.Cell] = append(reps[v.Cell], v)
	}
	for name, runs := range reps {
		vs[idx[name]] = majority(runs)
	}
	return vs
}

// majority combines the verdicts of a repeated cell's runs.
func majority(runs []Verdict) Verdict {
	v := runs[0]
	met, ran := 0, 0
	details := make([]string, len(runs))
	for i, r := range runs {
		switch r.Status {
		case VerdictMet:
			met++
			ran++
		case VerdictNotMet:
			ran++
		}
		details[i] = fmt.Sprintf("run %d: %s, %s", i+1, r.Status, r.Detail)
	}
	switch {
	case ran == 0:
		v.Status = VerdictNotRun
	case 2*met > ran:
		v.Status = VerdictMet
	default:
		v.Status = VerdictNotMet
	}
	v.Detail = fmt.Sprintf("met in %d of %d runs. %s", met, len(runs), strings.Join(details, "; "))
	return v
}
