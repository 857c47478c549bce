// Command wanbench runs the reproducible WAN benchmark: two network
// namespaces (jsbA-<pid>, jsbB-<pid>) joined only by the user-space link
// emulator (linkemu) over a TUN device in each, a scenario matrix of link
// conditions, transfer tools driven across the link, and a report with
// tables and plots in bench/results.
//
// The TUN devices are created inside their namespaces by a thread that
// joined the namespace, so they never exist in the root namespace; wanbench
// holds their descriptors and hands them to one linkemu process per tool
// run (fds 3 and 4). Everything is removed on exit, error or Ctrl-C;
// `wanbench cleanup` removes what a SIGKILLed run left behind.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/alecthomas/kong"
)

// Exit codes.
const (
	exitOK          = 0
	exitFail        = 1
	exitUsage       = 2
	exitInterrupted = 130
)

// errSkip is returned when the benchmark cannot run here and was asked to
// skip quietly (not root, no TUN).
var errSkip = errors.New("skip")

type exitRequest int

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) (code int) {
	var cli CLI
	parser, err := kong.New(&cli, kong.Name("wanbench"),
		kong.Description("Reproducible WAN benchmark over a user-space link emulator between two network namespaces."),
		kong.Writers(stdout, stderr), kong.Exit(func(c int) { panic(exitRequest(c)) }))
	if err != nil {
		fmt.Fprintln(stderr, "wanbench:", err)
		return exitUsage
	}
	defer func() {
		if r := recover(); r != nil {
			c, ok := r.(exitRequest)
			if !ok {
				panic(r)
			}
			code = int(c)
		}
	}()
	kctx, err := parser.Parse(args)
	if err != nil {
		fmt.Fprintln(stderr, "wanbench:", err)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = kctx.Run(&runEnv{ctx: ctx, stdout: stdout, stderr: stderr})
	switch {
	case errors.Is(err, errSkip):
		return exitOK
	case ctx.Err() != nil:
		fmt.Fprintln(stderr, "wanbench: interrupted; cleaned up")
		return exitInterrupted
	case err != nil:
		fmt.Fprintln(stderr, "wanbench:", err)
		return exitFail
	}
	return exitOK
}

// runEnv is what every command's Run receives.
type runEnv struct {
	ctx            context.Context
	stdout, stderr io.Writer
}

// CLI is wanbench's command line.
type CLI struct {
	Run      RunCmd      `cmd:"" help:"Run the scenario matrix and write REPORT.md, results.json and plots."`
	Smoke    SmokeCmd    `cmd:"" help:"Run the short smoke cell and check the results (part of make test)."`
	Capacity CapacityCmd `cmd:"" help:"Measure the emulator's throughput with no link limits."`
	Cleanup  CleanupCmd  `cmd:"" help:"Remove namespaces left behind by killed runs."`
	Show     ShowCmd     `cmd:"" help:"Print the built-in scenario matrix (TOML)."`
	Render   RenderCmd   `cmd:"" help:"Re-render REPORT.md and the plots from a results.json."`
}
