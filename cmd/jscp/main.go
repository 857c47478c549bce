// Command jscp copies files to and from JetStream servers, scp-style, over
// the accelerated UDP engine.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"

	"github.com/alecthomas/kong"
	"github.com/mattn/go-isatty"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/config"
)

var version, commit, date string

// cli is jscp's command line.
type cli struct {
	Recursive bool             `short:"r" help:"Copy directories recursively."`
	DestPath  string           `short:"d" name:"destination-path" help:"Transfer destination path on the receiver (between its sandbox and the target path)." placeholder:"PATH"`
	Rate      string           `short:"l" help:"Target rate: kbit/s, or bit/s with K/M/G suffix (e.g. 500M), counting IP and UDP headers as the link does." placeholder:"RATE"`
	MinRate   string           `short:"m" name:"min-rate" help:"Minimum rate, same units as -l." placeholder:"RATE"`
	Policy    string           `help:"Rate policy: fixed, fair (default) or low."`
	Port      int              `short:"P" help:"API port of the server (default 8886)."`
	RecvPort  int              `name:"recv-port" help:"Override the server's UDP port (normally learnt from the API)."`
	User      string           `help:"User on the server (default: user@ in the spec, else the current user)." env:"JETSTREAM_USER"`
	Cipher    string           `help:"none, auth, aes128 (default) or aes256."`
	Overwrite string           `help:"never, always, diff (size+mtime differ) or same-size." default:"diff" enum:"never,always,diff,same-size"`
	Resume    bool             `short:"k" negatable:"" default:"true" help:"Resume partial files from an earlier run (default on)."`
	Preserve  bool             `short:"p" help:"Preserve modification times and modes (always done; accepted for scp compatibility)."`
	Checksum  bool             `help:"Print each file's SHA-256 chunk digest after verification."`
	Exclude   []string         `help:"Skip files whose name matches GLOB (repeatable)." placeholder:"GLOB" sep:"none"`
	Quiet     bool             `short:"q" help:"No progress or summary."`
	Progress  bool             `negatable:"" default:"true" help:"Show progress (a bar on a terminal, lines every few seconds otherwise)."`
	FileList  string           `name:"file-list" help:"Read sources from FILE, one per line, parsed like arguments." placeholder:"FILE" type:"existingfile"`
	PairList  string           `name:"file-pair-list" help:"Read source and target lines alternating from FILE; targets are below DEST." placeholder:"FILE" type:"existingfile"`
	Config    string           `help:"Client configuration with [hosts.NAME] profiles (default ~/.config/jetstream/config.toml)." placeholder:"FILE"`
	Interval  time.Duration    `name:"progress-interval" default:"5s" help:"Time between progress lines when stderr is not a terminal."`
	JSON      bool             `name:"json" help:"NDJSON events on stdout (start, file, progress, file_done, complete, error)."`
	Via       string           `help:"Run the copy as a server-to-server transfer on this daemon ([user@]host[:port]); it goes on if jscp exits." placeholder:"HOST"`
	Detach    bool             `help:"For server-to-server copies: print the transfer id and return at once."`
	CAFile    string           `name:"ca-file" help:"Verify the server against these CA certificates instead of pinning." type:"existingfile"`
	Verbose   bool             `short:"v" help:"More detail on stderr."`
	Version   kong.VersionFlag `help:"Print version information and exit."`
	Args      []string         `arg:"" optional:"" name:"SOURCE... DEST" help:"Sources and destination; remote ones as [user@]host[:port]:path."`

	// --completion SHELL and hidden helpers for shells and man (docs.go).
	DocFlags

	profiles       map[string]config.HostProfile
	profileApplied bool
	pairTargets    []string // --file-pair-list targets, aligned with the sources
	stderr         io.Writer
}

const helpText = `Copies files between this host and JetStream servers over the accelerated UDP
engine, scp-style.
  Upload:            jscp [options] SOURCE... [user@]host[:port]:DEST
  Download:          jscp [options] [user@]host[:port]:SOURCE... DEST
  Server-to-server:  jscp [options] a:SOURCE... b:DEST   (daemon a sends to b)
  Via a daemon:      jscp --via HOST [options] SOURCE... b:DEST
DEST is a directory when it exists as one or ends in '/'. -d PATH sets the
transfer destination path (written path = sandbox/PATH/DEST). host may name a
[hosts.NAME] profile of the client configuration.
The password comes from JETSTREAM_API_PASSWORD or is asked for on the
terminal; server-to-server copies log in to b with JETSTREAM_DEST_PASSWORD
(else the same password). A re-run of an interrupted copy resumes it.

Exit status:
  0 success          1 other error        2 usage
  3 cannot connect   4 authentication     5 source not found / permission denied
  6 some files failed (partial success)   7 integrity check failed
  8 interrupted (re-run to resume)        130 interrupted by SIGINT`

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) (code int) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var c cli
	defer func() {
		if r := recover(); r != nil {
			if ec, ok := r.(exitPanic); ok {
				code = int(ec)
				return
			}
			panic(r)
		}
	}()
	parser, err := kong.New(&c, kong.Name("jscp"), kong.Description(helpText),
		kong.UsageOnError(), kong.Writers(stdout, stderr),
		kong.Exit(func(code int) { panic(exitPanic(code)) }),
		kong.Vars{"version": versionLine()})
	if err != nil {
		fmt.Fprintln(stderr, "jscp:", err)
		return exitUsage
	}
	if _, err := parser.Parse(args); err != nil {
		fmt.Fprintln(stderr, "jscp:", err)
		return exitUsage
	}
	if handled, code := c.docs(ctx, parser.Model, stdout, stderr); handled {
		return code
	}
	now := time.Now()
	p := &printer{out: stdout, err: stderr, json: c.JSON, quiet: c.Quiet, verbose: c.Verbose,
		tty: c.Progress && !c.Quiet && isTerminal(stderr), start: now, last: now, every: c.Interval}
	if !c.Progress {
		p.tty = false
		p.every = time.Duration(1<<62 - 1)
	}
	c.stderr = stderr
	if n, err := strconv.ParseInt(os.Getenv("JSCP_TEST_INTERRUPT_AT"), 10, 64); err == nil {
		p.interruptAt = n
	}
	err = c.run(ctx, p)
	if err == nil {
		return exitOK
	}
	code, name := exitCodeOf(err)
	if ctx.Err() != nil {
		code, name = exitSigint, "interrupted"
		err = fmt.Errorf("interrupted; partial data is kept: run the same command again to resume")
	}
	p.event("error", map[string]any{"code": name, "exitCode": code, "message": err.Error()})
	p.mu.Lock()
	p.clearLine()
	p.mu.Unlock()
	fmt.Fprintln(stderr, "jscp:", err)
	return code
}

type exitPanic int

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}

func versionLine() string {
	v, c, d := version, commit, date
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && c == "" {
				c = s.Value
			}
		}
	}
	if v == "" {
		v = "dev"
	}
	return fmt.Sprintf("jscp %s (commit %s, built %s, api version %d)", v, orUnknown(c), orUnknown(d), api.APIVersion)
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func (c *cli) run(ctx context.Context, p *printer) error {
	if err := c.loadProfiles(); err != nil {
		return err
	}
	srcs, dst, err := c.sources()
	if err != nil {
		return err
	}
	dspec, dremote, err := c.parseSpec(dst)
	if err != nil {
		return wrap(exitUsage, "usage", err)
	}
	var remotes []remoteSpec
	nRemote := 0
	for _, s := range srcs {
		rs, isRemote, err := c.parseSpec(s)
		if err != nil {
			return wrap(exitUsage, "usage", err)
		}
		if isRemote {
			nRemote++
			remotes = append(remotes, rs)
		}
	}
	switch {
	case dremote && dspec.Path == "":
		return fail(exitUsage, "usage", "%q has no path: give the destination path after the colon", dst)
	case c.Via != "" && dremote && nRemote == 0:
		via, err := parseHost(c.Via)
		if err != nil {
			return wrap(exitUsage, "usage", fmt.Errorf("--via: %w", err))
		}
		abs, err := absPaths(srcs)
		if err != nil {
			return err
		}
		return c.serverToServer(ctx, p, via, abs, dspec)
	case c.Via != "":
		return fail(exitUsage, "usage", "--via runs uploads only: give local sources (paths on the --via server) and a remote DEST")
	case c.Detach:
		return fail(exitUsage, "usage", "--detach needs a server-to-server copy (--via HOST or remote-to-remote)")
	case dremote && nRemote == 0:
		return c.upload(ctx, p, srcs, dspec)
	case !dremote && nRemote == len(srcs):
		return c.download(ctx, p, remotes, dst)
	case dremote && nRemote == len(srcs):
		if err := sameServer(remotes); err != nil {
			return err
		}
		paths := make([]string, len(remotes))
		for i, r := range remotes {
			if r.Path == "" {
				return fail(exitUsage, "usage", "%s: has no path after the colon", r.Host)
			}
			paths[i] = r.Path
		}
		return c.serverToServer(ctx, p, remotes[0], paths, dspec)
	default:
		return fail(exitUsage, "usage", "mix of local and remote sources: sources must all be local (upload) or all remote (download)")
	}
}
