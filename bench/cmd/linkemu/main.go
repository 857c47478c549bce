// Command linkemu is a user-space WAN link emulator: it forwards IP packets
// between two TUN devices, applying per-direction delay, jitter, loss,
// Gilbert–Elliott burst loss, a bottleneck rate and a drop-tail queue
// (see package bench/linkemu for the model and the spec syntax).
//
// The TUN devices are given either as inherited file descriptors (--a-fd,
// --b-fd; this is how wanbench runs it) or by name, optionally inside a
// named network namespace (--a-dev/--a-netns), where linkemu creates them.
//
// Counters are printed as JSON on SIGUSR1 and at exit, and written to
// --stats-file at start (so a parent can wait for readiness), on SIGUSR1
// and at exit. --series-file appends one JSON line of counters every
// --series-interval.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/alecthomas/kong"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// exitRequest carries kong's requested exit code (after --help) out of Parse.
type exitRequest int

func run(args []string, stdout, stderr io.Writer) (code int) {
	var cli CLI
	parser, err := kong.New(&cli,
		kong.Name("linkemu"),
		kong.Description("User-space WAN link emulator between two TUN devices."),
		kong.Writers(stdout, stderr),
		kong.Exit(func(c int) { panic(exitRequest(c)) }),
	)
	if err != nil {
		fmt.Fprintln(stderr, "linkemu:", err)
		return 2
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
	if _, err := parser.Parse(args); err != nil {
		fmt.Fprintln(stderr, "linkemu:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := cli.Run(ctx, stdout); err != nil {
		fmt.Fprintln(stderr, "linkemu:", err)
		return 1
	}
	return 0
}
