// Command jetstream is the JetStream server, API console and TUI.
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

	"github.com/jetstream-go/jetstream/daemon/config"
)

// runEnv is what every command's Run receives: standard streams and the
// process context, injected so commands are testable (kong.Bind).
type runEnv struct {
	Ctx    context.Context
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	kctx   *kong.Context
}

// CLI is the jetstream command line.
type CLI struct {
	Server  serverCmd  `cmd:"" help:"Run the JetStream daemon (API on TCP, data on UDP)."`
	API     apiCmd     `cmd:"" name:"api" help:"Call one API method and print its JSON result."`
	User    userCmd    `cmd:"" help:"Manage the server's built-in accounts."`
	Tui     tuiCmd     `cmd:"" name:"tui" help:"Browse servers, queue transfers and watch them (interactive)."`
	Version versionCmd `cmd:"" help:"Print version, commit, build date and API version."`

	Completion completionCmd `cmd:"" help:"Print a shell completion script (bash, zsh or fish)."`
	Man        manCmd        `cmd:"" hidden:"" help:"Write the man pages (used by make generate)."`
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit codes shared by the commands (documented in `jetstream api --help`).
const (
	exitOK      = 0
	exitFailed  = 1 // the server refused or failed the command
	exitUsage   = 2
	exitConnect = 3 // cannot connect / TLS
	exitAuth    = 4 // authentication failed
	exitSigint  = 130
)

// exitError carries an exit code with the message printed on stderr.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func withCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: code, err: err}
}

type exitPanic int

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var cli CLI
	defer func() {
		if r := recover(); r != nil {
			if c, ok := r.(exitPanic); ok {
				code = int(c)
				return
			}
			panic(r)
		}
	}()
	parser, err := kong.New(&cli, kong.Name("jetstream"),
		kong.Description("JetStream accelerated file transfer: server, API console and TUI."),
		kong.UsageOnError(),
		kong.Writers(stdout, stderr),
		kong.Exit(func(code int) { panic(exitPanic(code)) }),
		kong.Vars{"version": versionString(), "config_file": config.DefaultConfigFile},
	)
	if err != nil {
		fmt.Fprintln(stderr, "jetstream:", err)
		return exitUsage
	}
	kctx, err := parser.Parse(args)
	if err != nil {
		fmt.Fprintln(stderr, "jetstream:", err)
		var pe *kong.ParseError
		if errors.As(err, &pe) {
			_ = pe.Context.PrintUsage(true)
		}
		return exitUsage
	}
	env := &runEnv{Ctx: ctx, Stdin: stdin, Stdout: stdout, Stderr: stderr, kctx: kctx}
	err = kctx.Run(env)
	return reportError(ctx, stderr, err)
}

func reportError(ctx context.Context, stderr io.Writer, err error) int {
	if err == nil {
		return exitOK
	}
	code := exitFailed
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
	}
	if ctx.Err() != nil && (errors.Is(err, context.Canceled) || code == exitFailed) {
		code = exitSigint
	}
	fmt.Fprintln(stderr, "jetstream:", err)
	return code
}
