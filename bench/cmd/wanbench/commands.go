package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jetstream-go/jetstream/bench/netns"
	"github.com/jetstream-go/jetstream/bench/report"
	"github.com/jetstream-go/jetstream/bench/scenario"
)

// setupFlags are shared by the commands that build the network.
type setupFlags struct {
	Linkemu       string `help:"linkemu binary (default: linkemu next to wanbench, then PATH)."`
	NoInstall     bool   `name:"no-install" help:"Do not apt-get install missing iperf3/openssh."`
	SkipIfNotRoot bool   `name:"skip-if-not-root" help:"When not root (or no /dev/net/tun), print a SKIP line and exit 0."`
	Offload       bool   `default:"true" negatable:"" help:"TUN devices with virtio-net headers and TCP segmentation offload."`
}

func (f *setupFlags) linkemuPath() (string, error) {
	if f.Linkemu != "" {
		return f.Linkemu, nil
	}
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), "linkemu")
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	return "", errors.New("linkemu binary not found next to wanbench; build it (make bench-build) or pass --linkemu")
}

// open builds the bench, or returns errSkip after printing why.
func (f *setupFlags) open(env *runEnv) (*bench, error) {
	if f.SkipIfNotRoot {
		if err := netns.RequireRoot(); err != nil {
			fmt.Fprintf(env.stdout, "wanbench: SKIP: %v\n", err)
			return nil, errSkip
		}
		if _, err := os.Stat("/dev/net/tun"); err != nil {
			fmt.Fprintf(env.stdout, "wanbench: SKIP: no /dev/net/tun\n")
			return nil, errSkip
		}
	}
	path, err := f.linkemuPath()
	if err != nil {
		return nil, err
	}
	return newBench(env.ctx, env.stderr, setupOpts{linkemu: path, noInstall: f.NoInstall, offload: f.Offload})
}

// RunCmd runs the matrix.
type RunCmd struct {
	setupFlags
	Matrix   string   `help:"Scenario TOML file (default: the built-in matrix, see 'wanbench show')." type:"existingfile"`
	Cells    []string `help:"Run only these cells (comma-separated names)." sep:","`
	Out      string   `default:"bench/results" help:"Directory for REPORT.md, results.json and the plots."`
	Capacity bool     `help:"Also measure the emulator's capacity and include it in the report."`
}

func loadMatrix(path string) (*scenario.Matrix, error) {
	if path == "" {
		return scenario.Default()
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return scenario.Parse(b)
}

// Run executes the selected cells and writes the report.
func (c *RunCmd) Run(env *runEnv) error {
	m, err := loadMatrix(c.Matrix)
	if err != nil {
		return err
	}
	cells, err := m.Select(c.Cells)
	if err != nil {
		return err
	}
	out, err := writeDir(c.Out)
	if err != nil {
		return err
	}
	b, err := c.open(env)
	if err != nil {
		return err
	}
	defer b.close()
	r, failed := runMatrix(env.ctx, b, cells, "wanbench run "+strings.Join(os.Args[2:], " "))
	if c.Capacity && env.ctx.Err() == nil {
		r.Capacity = b.capacity(env.ctx, 5)
	}
	r.Finished = time.Now()
	if err := report.Write(out, r); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "wanbench: wrote %s\n", filepath.Join(out, "REPORT.md"))
	if env.ctx.Err() != nil {
		return env.ctx.Err()
	}
	if failed > 0 {
		return fmt.Errorf("%d tool run(s) failed; see the report", failed)
	}
	return nil
}

// runMatrix runs cells in order and counts failed tool runs.
func runMatrix(ctx context.Context, b *bench, cells []scenario.Cell, command string) (*report.Run, int) {
	r := &report.Run{Started: time.Now(), Host: hostInfo(), Command: command, Notes: methodNotes(b)}
	failed := 0
	for _, c := range cells {
		if ctx.Err() != nil {
			break
		}
		for rep := 1; rep <= c.Repeat && ctx.Err() == nil; rep++ {
			cr := b.runCell(ctx, c)
			if c.Repeat > 1 {
				cr.Rep = rep
			}
			for _, tr := range cr.Runs {
				if tr.Status == report.StatusError {
					failed++
					fmt.Fprintf(b.log, "wanbench: %s: %s failed: %s\n", c.Name, tr.Tool, tr.Error)
				}
			}
			r.Cells = append(r.Cells, cr)
		}
	}
	r.Finished = time.Now()
	return r, failed
}

// jetstreamNote describes the jetstream runs in REPORT.md.
const jetstreamNote = "jetstream: `jscp --json --no-resume --policy P -l <link rate>` (AES-128-GCM, datagram size from the route MTU: 1472 on the 1500-byte TUN link) in A uploads min(1 GiB, link × duration / flows) to a fresh `jetstream server` in B (built-in account, sandbox owned by nobody); goodput = bytes over the transfer's time, from jscp's start event (after the TLS API login, before the ticket and engine handshake) to its complete event, as iperf3 leaves out its control connection; the note gives the login time, and the small-file targets (files/s, 1 KiB cold start) use jscp's whole run. Retransmitted blocks % from the complete event; sender CPU/RSS = jscp, receiver = the daemon. jetstream-fixed sends at -l without rate control (engine and host capacity). UDP crosses the emulator in GSO super-datagrams where the kernel offers USO (the emulator cuts them into wire datagrams for the link model and merges survivors again), and emulator, jscp and daemon share the 2 cores; `host load` in the note column is the 1-minute load average at the end of each run (other work on the shared host)."

func methodNotes(b *bench) []string {
	n := []string{
		"Topology: namespaces jsbA-<pid> (sender, 10.201.0.1/30) and jsbB-<pid> (receiver, 10.201.0.2/30), each with one TUN device created inside it; only the emulator (bench/cmd/linkemu) moves packets between them. One emulator process per tool run, so its counters belong to that run.",
		"Link model per direction: drop-tail queue (size in time at the bottleneck rate) → bottleneck serialisation → random / Gilbert–Elliott loss on the wire (a lost packet still used its slot) → one-way delay RTT/2 (+ jitter, no reordering). Loss applies to the data direction A→B only unless reverse_loss_pct is set.",
		fmt.Sprintf("TCP autotuning maxima (tcp_rmem/tcp_wmem) raised to %d MiB inside the namespaces so TCP is not window-limited; iperf3 picks its algorithm with -C; scp uses the namespace default, which a new namespace inherits from the host (shown in the scp note; only the root namespace may choose a default outside tcp_allowed_congestion_control); kernel qdisc untouched (no netem, no tc shaping).", tcpMaxBuf>>20),
		"Emulator release timing follows Go timers (about 1 ms resolution): packets due while the writer sleeps leave together; see late_mean_ms/late_max_ms in results.json.",
		"scp: OpenSSH scp (SFTP mode) to sshd -i in namespace B with a generated ed25519 key; its time includes the SSH handshake; a copy still running at duration + 10 s is stopped and measured by the bytes that arrived.",
		jetstreamNote,
	}
	if b.pair != nil && b.pair.Cfg.Offload {
		n = append(n, "TUN offload on: TCP super-packets (TSO) are cut into MTU-sized segments before the link model sees them and surviving runs are merged again on write, so every number is per 1500-byte wire packet while syscalls stay per 64 KiB.")
	}
	return n
}

// CapacityCmd measures the emulator.
type CapacityCmd struct {
	setupFlags
	Seconds int `default:"5" help:"Length of each test (2-60)."`
}

// Run measures and prints the emulator's capacity.
func (c *CapacityCmd) Run(env *runEnv) error {
	if c.Seconds < 2 || c.Seconds > 60 {
		return fmt.Errorf("--seconds %d outside [2, 60]", c.Seconds)
	}
	b, err := c.open(env)
	if err != nil {
		return err
	}
	defer b.close()
	for _, r := range b.capacity(env.ctx, c.Seconds) {
		fmt.Fprintf(env.stdout, "%-50s offload=%-5v %8.0f pkt/s  wire %.2f Gbit/s  goodput %.2f Gbit/s  emulator CPU %3.0f%%  drops %d  %s\n",
			r.Name, r.Offload, r.PPS, r.WireGbit, r.Goodput, r.EmuCPUPct, r.Drops, r.Note)
	}
	return env.ctx.Err()
}

// CleanupCmd removes stale namespaces.
type CleanupCmd struct{}

// Run removes namespaces of dead runs.
func (CleanupCmd) Run(env *runEnv) error {
	if err := netns.RequireRoot(); err != nil {
		return err
	}
	removed, err := netns.RemoveStale(env.ctx)
	for _, n := range removed {
		fmt.Fprintln(env.stdout, "removed", n)
	}
	return err
}

// ShowCmd prints the built-in matrix.
type ShowCmd struct{}

// Run prints the built-in scenario matrix.
func (ShowCmd) Run(env *runEnv) error {
	_, err := env.stdout.Write(scenario.DefaultTOML())
	return err
}
