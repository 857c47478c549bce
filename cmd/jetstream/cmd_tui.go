package main

import (
	"context"
	"errors"
	"os"

	"golang.org/x/term"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/tui"
	"github.com/jetstream-go/jetstream/tui/common"
	"github.com/jetstream-go/jetstream/tui/direct"
)

// tuiCmd is `jetstream tui`: the interactive browser and transfer monitor.
type tuiCmd struct {
	Target     string `arg:"" optional:"" help:"Server to open at start: [user@]host[:port], or the name of a saved location. Without it the TUI starts at the list of saved locations."`
	KnownHosts string `name:"known-hosts" help:"Certificate pin file (default in the user's config dir)." env:"JETSTREAM_KNOWN_HOSTS"`
	CAFile     string `name:"ca-file" help:"Verify servers against these CA certificates instead of pinning them." type:"existingfile"`
	Config     string `help:"Client configuration file holding the saved locations (default: $XDG_CONFIG_HOME/jetstream/config.toml, else ~/.config/jetstream/config.toml)." type:"path" placeholder:"FILE" env:"JETSTREAM_CLIENT_CONFIG"`
	LocalDir   string `name:"local-dir" help:"Directory the local pane opens in (default: the working directory)." type:"existingdir" placeholder:"DIR"`
	NoColor    bool   `name:"no-color" help:"Draw without colours (also when NO_COLOR is set)."`
}

// Help is shown under the command's usage.
func (tuiCmd) Help() string {
	return `The password of the server given on the command line comes from
JETSTREAM_API_PASSWORD, or is asked for in the TUI (masked). Keys: tab switches
pane, F5 copies (upload, download or server-to-server), F6 moves, F7 makes a
directory, F8 deletes, 1-5 switch screens, ? shows every key, q quits.

Uploads and downloads run in this program: quitting cancels them (the TUI asks
first). Server-to-server transfers run on the sending server and go on.

Exit status:
  0    the user quit
  1    the TUI failed
  2    usage error, or no terminal
  130  interrupted`
}

// tuiRunHook, when set (tests only), runs the TUI instead of tui.Run, with
// no terminal required.
var tuiRunHook func(ctx context.Context, opts tui.Options) error

func (c *tuiCmd) Run(env *runEnv) error {
	run := tuiRunHook
	if run == nil {
		if !isTerminal(env.Stdin) || !isTerminal(env.Stdout) {
			return withCode(exitUsage, errors.New("tui needs a terminal on standard input and output; use 'jetstream api' for scripts"))
		}
		run = tui.Run
	}
	opts := c.options(env)
	if err := run(env.Ctx, opts); err != nil {
		if env.Ctx.Err() != nil {
			return withCode(exitSigint, errors.New("interrupted"))
		}
		return withCode(exitFailed, err)
	}
	return nil
}

// options builds the TUI's options: the real connector over daemon/client,
// with direct uploads and downloads through net/peer.
func (c *tuiCmd) options(env *runEnv) tui.Options {
	opts := tui.Options{
		Target:     c.Target,
		ConfigPath: c.Config,
		LocalFS:    tui.OSFS{Start: c.LocalDir},
		NoColor:    c.NoColor,
		Connector: tui.DialConnector{
			KnownHosts:  c.KnownHosts,
			CAFile:      c.CAFile,
			DefaultUser: os.Getenv("JETSTREAM_USER"),
			Wrap:        wrapDirect,
		},
	}
	if c.Target != "" {
		opts.Password = os.Getenv("JETSTREAM_API_PASSWORD")
	}
	if env.Stdin != nil && env.Stdout != nil {
		opts.Input, opts.Output = env.Stdin, env.Stdout
	}
	return opts
}

// wrapDirect gives a connected server's Client direct uploads and
// downloads over the same API connection.
func wrapDirect(cl *client.Client, req common.ConnectRequest) common.Client {
	dc := direct.New(tui.NewClientAdapter(cl), peerRunner(cl, req.Location), nil)
	dc.Policy, dc.Cipher = api.PolicyFair, api.CipherAES128 // net/peer's defaults
	if tp, err := req.Location.TransferParams(); err == nil {
		if tp.Policy != "" {
			dc.Policy = tp.Policy
		}
		if tp.MinCipher > 0 {
			dc.Cipher = tp.MinCipher
		}
	}
	return dc
}

func isTerminal(f any) bool {
	if fd, ok := f.(interface{ Fd() uintptr }); ok {
		return term.IsTerminal(int(fd.Fd()))
	}
	return false
}
