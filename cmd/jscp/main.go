// Command jscp copies files to and from JetStream servers, scp-style, over
// the accelerated UDP engine.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"os/user"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/alecthomas/kong"
	"github.com/mattn/go-isatty"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/daemon/config"
	"github.com/jetstream-go/jetstream/internal/prompt"
)

var version, commit, date string

// cli is jscp's command line.
type cli struct {
	Recursive bool             `short:"r" help:"Copy directories recursively."`
	DestPath  string           `short:"d" name:"destination-path" help:"Transfer destination path on the receiver (between its sandbox and the target path)." placeholder:"PATH"`
	Rate      string           `short:"l" help:"Target rate: kbit/s, or bit/s with K/M/G suffix (e.g. 500M)." placeholder:"RATE"`
	MinRate   string           `short:"m" name:"min-rate" help:"Minimum rate, same units as -l." placeholder:"RATE"`
	Policy    string           `help:"Rate policy: fixed, fair or low." default:"fair" enum:"fixed,fair,low"`
	Port      int              `short:"P" help:"API port of the server." default:"8886"`
	RecvPort  int              `name:"recv-port" help:"Override the server's UDP port (normally learnt from the API)."`
	User      string           `help:"User on the server (default: user@ in the spec, else the current user)." env:"JETSTREAM_USER"`
	Cipher    string           `help:"none, auth, aes128 or aes256." default:"aes128" enum:"none,auth,aes128,aes256"`
	Overwrite string           `help:"never, always, diff (size+mtime differ) or same-size." default:"diff" enum:"never,always,diff,same-size"`
	Resume    bool             `short:"k" negatable:"" default:"true" help:"Resume partial files from an earlier run (default on)."`
	Preserve  bool             `short:"p" help:"Preserve modification times and modes (always done; accepted for scp compatibility)."`
	Checksum  bool             `help:"Print each file's SHA-256 chunk digest after verification."`
	Exclude   []string         `help:"Skip files matching GLOB (repeatable)." placeholder:"GLOB"`
	Quiet     bool             `short:"q" help:"No progress or summary."`
	Progress  bool             `negatable:"" default:"true" help:"Show progress (a bar on a terminal, lines every few seconds otherwise)."`
	JSON      bool             `name:"json" help:"NDJSON events on stdout (start, file, progress, file_done, complete, error)."`
	CAFile    string           `name:"ca-file" help:"Verify the server against these CA certificates instead of pinning." type:"existingfile"`
	Verbose   bool             `short:"v" help:"More detail on stderr."`
	Version   kong.VersionFlag `help:"Print version information and exit."`
	Args      []string         `arg:"" name:"SOURCE... DEST" help:"Sources and destination; remote ones as [user@]host[:port]:path."`
}

const helpText = `Copies files between this host and JetStream servers over the accelerated UDP
engine. Upload: jscp [options] SOURCE... [user@]host[:port]:DEST
Download: jscp [options] [user@]host[:port]:SOURCE... DEST
The password comes from JETSTREAM_API_PASSWORD or is asked for on the terminal.

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
	p := &printer{out: stdout, err: stderr, json: c.JSON, quiet: c.Quiet || !c.Progress && false,
		tty: c.Progress && !c.Quiet && isTerminal(stderr), start: time.Now(), every: 5 * time.Second}
	if !c.Progress {
		p.tty = false
		p.every = time.Duration(1<<62 - 1)
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
	if len(c.Args) < 2 {
		return fail(exitUsage, "usage", "need at least one SOURCE and a DEST (see jscp --help)")
	}
	srcs, dst := c.Args[:len(c.Args)-1], c.Args[len(c.Args)-1]
	dspec, dremote, err := parseSpec(dst)
	if err != nil {
		return wrap(exitUsage, "usage", err)
	}
	var remotes []remoteSpec
	nRemote := 0
	for _, s := range srcs {
		rs, isRemote, err := parseSpec(s)
		if err != nil {
			return wrap(exitUsage, "usage", err)
		}
		if isRemote {
			nRemote++
			remotes = append(remotes, rs)
		}
	}
	switch {
	case dremote && nRemote == 0:
		if dspec.Path == "" {
			return fail(exitUsage, "usage", "%q has no path: give the destination path after the colon", dst)
		}
		return c.upload(ctx, p, srcs, dspec)
	case !dremote && nRemote == len(srcs):
		return c.download(ctx, p, remotes, dst)
	case dremote && nRemote == len(srcs):
		return fail(exitUsage, "usage", "remote-to-remote copies go through a daemon: use `jetstream api` send.createDestination/createManifest/createTransfer (jscp --via is not available yet)")
	default:
		return fail(exitUsage, "usage", "mix of local and remote sources: sources must all be local (upload) or all remote (download)")
	}
}

// rates converts -l/-m to kbit/s.
func (c *cli) rates() (maxK, minK float64, err error) {
	for _, x := range []struct {
		s   string
		out *float64
		fl  string
	}{{c.Rate, &maxK, "-l"}, {c.MinRate, &minK, "-m"}} {
		if x.s == "" {
			continue
		}
		bps, err := config.ParseRate(x.s)
		if err != nil {
			return 0, 0, fail(exitUsage, "usage", "%s: %v", x.fl, err)
		}
		*x.out = bps / 1000
	}
	if maxK > 0 && minK > maxK {
		return 0, 0, fail(exitUsage, "usage", "-m %s is above -l %s", c.MinRate, c.Rate)
	}
	return maxK, minK, nil
}

func (c *cli) cipherLevel() int {
	return map[string]int{"none": 0, "auth": 1, "aes128": 2, "aes256": 3}[c.Cipher]
}

// connect dials and logs in to a remote.
func (c *cli) connect(ctx context.Context, p *printer, r remoteSpec) (*client.Client, error) {
	port := c.Port
	if r.Port != 0 {
		port = r.Port
	}
	cl, err := client.Dial(ctx, client.Options{Host: r.Host, Port: port, CAFile: c.CAFile,
		KnownHosts: os.Getenv("JETSTREAM_KNOWN_HOSTS"),
		OnPin: func(addr, fp, file string) {
			fmt.Fprintf(p.err, "jscp: first connection to %s: pinned its certificate %s in %s\n", addr, fp, file)
		}})
	if err != nil {
		return nil, wrap(exitConnect, "connect", err)
	}
	name := r.User
	if name == "" {
		name = c.User
	}
	if name == "" {
		u, err := user.Current()
		if err != nil {
			cl.Close()
			return nil, fail(exitUsage, "usage", "cannot tell the current user; give user@host or --user")
		}
		name = u.Username
	}
	pass, ok := os.LookupEnv("JETSTREAM_API_PASSWORD")
	if !ok {
		if pass, err = prompt.Password(fmt.Sprintf("Password for %s@%s: ", name, r.Host)); err != nil {
			cl.Close()
			return nil, wrap(exitAuth, "auth", err)
		}
	}
	if err := cl.Auth(ctx, name, pass); err != nil {
		cl.Close()
		if api.CodeOf(err) == api.CodeAuthFailed {
			return nil, wrap(exitAuth, "auth", err)
		}
		return nil, wrap(exitConnect, "connect", err)
	}
	return cl, nil
}

// transferKey identifies "the same copy" across runs so a re-run resumes.
func (c *cli) transferKey(parts ...string) string {
	if !c.Resume {
		return fmt.Sprintf("jscp-%d-%d", time.Now().UnixNano(), os.Getpid())
	}
	sorted := append([]string(nil), parts...)
	sort.Strings(sorted)
	h := sha256.Sum256([]byte(strings.Join(sorted, "\x00")))
	return "jscp-" + hex.EncodeToString(h[:12])
}

// apiErr maps an API error from a transfer call to an exit code.
func apiErr(err error) error {
	var ce *codeError
	if errors.As(err, &ce) {
		return err
	}
	switch api.CodeOf(err) {
	case api.CodeNotFound, api.CodePermissionDenied, api.CodeOutsideSandbox:
		return wrap(exitNoSource, "source", err)
	case api.CodeAuthFailed, api.CodeAuthRequired:
		return wrap(exitAuth, "auth", err)
	}
	if errors.Is(err, client.ErrClosed) {
		return wrap(exitInterrupted, "interrupted", fmt.Errorf("%w; run the same command again to resume", err))
	}
	return wrap(exitError, "error", err)
}
