package report

import (
	"fmt"
	"io"
	"strings"
)

func f1(v float64) string { return fmt.Sprintf("%.1f", v) }

func pctOrDash(v float64) string {
	if v < 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", v)
}

func cpuPct(cpu, seconds float64) string {
	if seconds <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f", cpu/seconds*100)
}

func mib(kib int64) string {
	if kib <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f", float64(kib)/1024)
}

func cell(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", "\\|"), "\n", " ") }

// WriteMarkdown writes the report body: a summary table per cell and the
// emulator counters for every run, then notes. plots lists image files
// (relative to the report) to embed.
func WriteMarkdown(w io.Writer, r *Run, plots []string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# WAN benchmark report\n\n")
	fmt.Fprintf(&b, "Run %s → %s on %s.  \nCommand: `%s`.\n\n", r.Started.UTC().Format("2006-01-02 15:04:05Z"), r.Finished.UTC().Format("15:04:05Z"), r.Host, r.Command)
	b.WriteString("Goodput is payload delivered to the receiver per second of transfer; % of link is goodput over the " +
		"bottleneck rate. Retrans % is retransmitted segments over segments sent (iperf3: its own count; scp: the sender " +
		"namespace's TCP counters). CPU % is user+system time of the sender / receiver process tree over the transfer " +
		"time (100 = one core); RSS is the peak resident set of the largest process. Emulator columns are the A→B (data) " +
		"direction: packets forwarded / lost on the wire / dropped by the drop-tail queue, the mean and max queueing " +
		"delay, how late packets left the emulator relative to their modelled departure (CPU contention or timer resolution; " +
		"should be ~1 ms), and packets the TUN device dropped because the emulator fell behind (should be 0).\n\n")
	writeVerdicts(&b, r)
	for _, c := range r.Cells {
		writeCell(&b, &c)
	}
	if len(r.Capacity) > 0 {
		b.WriteString("## Emulator capacity\n\n| test | offload | seconds | packets | packets/s | wire Gbit/s | goodput Gbit/s | emulator CPU % | drops | note |\n|---|---|---|---|---|---|---|---|---|---|\n")
		for _, c := range r.Capacity {
			fmt.Fprintf(&b, "| %s | %v | %.1f | %d | %.0f | %.2f | %.2f | %.0f | %d | %s |\n", cell(c.Name), c.Offload, c.Seconds, c.Packets, c.PPS, c.WireGbit, c.Goodput, c.EmuCPUPct, c.Drops, cell(c.Note))
		}
		b.WriteString("\n")
	}
	if len(plots) > 0 {
		b.WriteString("## Plots\n\n")
		for _, p := range plots {
			fmt.Fprintf(&b, "![%s](%s)\n\n", strings.TrimSuffix(p, ".png"), p)
		}
	}
	if len(r.Notes) > 0 {
		b.WriteString("## Notes\n\n")
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func emuCols(e *Emulator, seconds float64) string {
	if e == nil {
		return "| | | | |"
	}
	ab := e.Stats.AtoB
	return fmt.Sprintf("%d / %d / %d | %.1f / %.1f | %.1f / %.0f | %d | %s", ab.Forwarded, ab.DroppedLoss, ab.DroppedQueue,
		ab.QueueDelayMeanMS, ab.QueueDelayMaxMS, ab.LateMeanMS, ab.LateMaxMS, e.KernelDropsA+e.KernelDropsB+ab.DroppedOverflow, cpuPct(e.CPU.CPUSeconds, e.Stats.ElapsedS))
}

func writeCell(b *strings.Builder, c *CellResult) {
	fmt.Fprintf(b, "## %s", c.Cell.Name)
	if c.Rep > 0 {
		fmt.Fprintf(b, " (run %d of %d)", c.Rep, c.Cell.Repeat)
	}
	fmt.Fprintf(b, "\n\n%s; %v", c.Cell.Describe(), c.Cell.Duration)
	if c.Concurrent {
		fmt.Fprintf(b, "; flows together: %s", strings.Join(c.Cell.Flows, " + "))
	}
	b.WriteString(".")
	if c.Cell.Target != "" {
		fmt.Fprintf(b, " Target: %s.", c.Cell.Target)
	}
	b.WriteString("\n\n")
	if c.Note != "" {
		fmt.Fprintf(b, "%s\n\n", c.Note)
	}
	b.WriteString("| tool | goodput Mbit/s | % of link | retrans % | snd CPU % | rcv CPU % | snd / rcv RSS MiB | emu fwd / loss / queue | queue ms mean / max | late ms mean / max | kernel+overflow drops | emu CPU % | note |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range c.Runs {
		note := r.Note
		if r.Status != StatusOK {
			note = strings.TrimSpace(r.Status + ": " + r.Error)
		}
		if r.Load > 0 && r.Status != StatusNA {
			note = strings.TrimPrefix(fmt.Sprintf("%s; host load %.1f", note, r.Load), "; ")
		}
		if r.Status == StatusNA || (r.Status == StatusError && r.Seconds == 0) {
			fmt.Fprintf(b, "| %s | – | – | – | – | – | – | | | | | | %s |\n", r.Tool, cell(note))
			continue
		}
		fmt.Fprintf(b, "| %s | %s | %.1f | %s | %s | %s | %s / %s | %s | %s |\n", r.Tool, f1(r.GoodputMbit), r.Fraction*100,
			pctOrDash(r.RetransPct), cpuPct(r.Sender.CPUSeconds, r.Seconds), cpuPct(r.Receiver.CPUSeconds, r.Seconds),
			mib(r.Sender.PeakRSSKiB), mib(r.Receiver.PeakRSSKiB), emuCols(r.Emu, r.Seconds), cell(note))
	}
	if c.Concurrent && c.Emu != nil {
		fmt.Fprintf(b, "| (link, all flows) | | | | | | | %s | |\n", emuCols(c.Emu, 0))
	}
	b.WriteString("\n")
	if c.Concurrent {
		writeOverlap(b, c)
	}
}

// writeOverlap says what each flow of a concurrent cell got while all of
// them were sending: the table's averages cover each flow's own run, which
// may include time it had the link alone.
func writeOverlap(b *strings.Builder, c *CellResult) {
	shares, secs, ok := overlapShares(c.Runs, c.Cell.RateMbit)
	if !ok {
		return
	}
	parts := make([]string, len(shares))
	for i, s := range shares {
		parts[i] = fmt.Sprintf("%s %.1f %%", c.Runs[i].Tool, s*100)
	}
	fmt.Fprintf(b, "While all flows ran (%.0f s), share of the link: %s. (The table averages each flow over its own run.)\n\n", secs, strings.Join(parts, ", "))
}
