package man

import (
	"fmt"
	"sort"

	"github.com/alecthomas/kong"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/config"
	"github.com/jetstream-go/jetstream/internal/docgen/roff"
)

// ExitCode documents one exit status of a program.
type ExitCode struct {
	Code    int
	Meaning string
}

// subPages says which jetstream subcommands get a page of their own, and
// in which section.
var subPages = map[string]string{"server": "8", "relay_server": "8", "api": "1", "tui": "1", "user": "8"}

// Jetstream renders every page of the jetstream program: jetstream(1),
// one page per command of subPages present in app (relay_server always),
// jetstream.toml(5) and jetstream-triggers(7). Files are sorted by name.
func Jetstream(app *kong.Application, exits []ExitCode) []File {
	root := app.Node
	refs := map[string]string{}
	var files []File
	for _, c := range visibleChildren(root) {
		sec, ok := subPages[c.Name]
		if !ok {
			refs[c.Name] = ""
			continue
		}
		name := "jetstream-" + c.Name
		refs[c.Name] = name + "(" + sec + ")"
		files = append(files, CommandPage(c, subSpec(c, name, sec, exits)))
	}
	if _, ok := refs["relay_server"]; !ok {
		files = append(files, RelayPage())
	}
	seeAlso := []string{"jscp(1)"}
	for _, c := range visibleChildren(root) {
		if r := refs[c.Name]; r != "" {
			seeAlso = append(seeAlso, r)
		}
	}
	if _, ok := refs["relay_server"]; !ok {
		seeAlso = append(seeAlso, "jetstream-relay_server(8)")
	}
	seeAlso = append(seeAlso, "jetstream.toml(5)", "jetstream-triggers(7)")
	files = append(files, CommandPage(root, CommandSpec{
		Name: "jetstream", Section: "1", Program: "jetstream", Own: true, Refs: refs,
		Summary: "accelerated file transfer: server, API console and TUI",
		Description: []string{
			"JetStream moves files over a paced, encrypted UDP engine that keeps long, lossy links full, " +
				"with a JSON API over TLS to control it. One program holds the server and its clients: " +
				"jetstream server runs the daemon, jetstream api calls one API method, jetstream tui browses " +
				"servers and queues transfers interactively. jscp(1) copies files scp-style.",
		},
		After: []Section{
			{"EXIT STATUS", func(p *roff.Page) { writeExits(p, exits) }},
			{"ENVIRONMENT", writeClientEnv},
			{"FILES", writeFiles},
		},
		SeeAlso: seeAlso,
	}))
	files = append(files, ConfigPage(), TriggersPage())
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files
}

func subSpec(c *kong.Node, name, sec string, exits []ExitCode) CommandSpec {
	s := CommandSpec{Name: name, Section: sec, Program: "jetstream " + c.Name, Summary: summaryOf(c.Help),
		SeeAlso: []string{"jetstream(1)"}}
	switch c.Name {
	case "server":
		s.Description = []string{
			c.Help,
			"The server listens for API clients on TCP (TLS, port 8886) and for transfer data on UDP " +
				"(port 8886). It authenticates users against the system accounts through PAM (service " +
				"\"jetstream\", /etc/pam.d/jetstream) and against its built-in accounts (jetstream user). " +
				"Each option is also a key of jetstream.toml(5) and a JETSTREAM_* environment variable; " +
				"precedence, lowest first: defaults, file, environment, flags.",
			"The packages install a systemd unit, jetstream.service, that runs jetstream server as root; " +
				"it is not enabled after installation: run systemctl enable --now jetstream.",
		}
		s.After = []Section{
			{"ENVIRONMENT", writeEnvKeys},
			{"FILES", writeFiles},
			{"SIGNALS", func(p *roff.Page) {
				p.Text(roff.Escape("SIGINT and SIGTERM stop the server: running transfers are interrupted and resume when the server is back."))
			}},
			{"EXIT STATUS", func(p *roff.Page) { writeExits(p, exits) }},
		}
		s.SeeAlso = []string{"jetstream(1)", "jetstream.toml(5)", "jetstream-triggers(7)", "jetstream-user(8)", "pam(8)", "systemctl(1)"}
	case "api":
		s.After = []Section{
			{"METHODS", writeMethods},
			{"ENVIRONMENT", writeClientEnv},
			{"EXIT STATUS", func(p *roff.Page) { writeExits(p, exits) }},
			{"EXAMPLES", func(p *roff.Page) {
				p.Example(
					"jetstream api getServerInfo",
					"jetstream api --host files.example.com lsAsync --wait --path=/data",
					"jetstream api --superuser setSandboxMapping --userName=bob --sandboxRoots='{\"\":\"/srv/bob\"}'",
					"jetstream api watch --events=transferProgress",
				)
			}},
		}
	case "tui":
		s.After = []Section{{"ENVIRONMENT", writeClientEnv}, {"FILES", writeFiles}}
		s.SeeAlso = []string{"jetstream(1)", "jscp(1)"}
	case "user":
		s.SeeAlso = []string{"jetstream(1)", "jetstream-server(8)"}
	}
	return s
}

// summaryOf turns a help sentence into a NAME line: no final period, lower-case start.
func summaryOf(help string) string {
	s := help
	if n := len(s); n > 0 && s[n-1] == '.' {
		s = s[:n-1]
	}
	if len(s) > 1 && s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z') {
		s = string(s[0]+'a'-'A') + s[1:]
	}
	return s
}

func writeExits(p *roff.Page, exits []ExitCode) {
	for _, e := range exits {
		p.Tagged(roff.B(fmt.Sprint(e.Code)), roff.Escape(e.Meaning))
	}
}

func writeClientEnv(p *roff.Page) {
	for _, e := range [][2]string{
		{"JETSTREAM_API_PASSWORD", "Password used to log in; when unset, the password is asked for on the terminal."},
		{"JETSTREAM_USER", "User to log in as (default: the current user)."},
		{"JETSTREAM_HOST", "Server jetstream api connects to (default localhost)."},
		{"JETSTREAM_API_PORT", "API port jetstream api connects to (default " + fmt.Sprint(api.DefaultAPIPort) + ")."},
		{"JETSTREAM_KNOWN_HOSTS", "Certificate pin file (default ~/.config/jetstream/known_hosts)."},
	} {
		p.Tagged(roff.B(e[0]), roff.Escape(e[1]))
	}
}

func writeFiles(p *roff.Page) {
	for _, f := range [][2]string{
		{config.DefaultConfigFile, "Server configuration, see jetstream.toml(5)."},
		{"/var/lib/jetstream/state", "Server state (built-in accounts, keys, transfers, certificates) when running as root; otherwise $XDG_STATE_HOME/jetstream."},
		{"/var/lib/jetstream/triggers", "Trigger programs, see jetstream-triggers(7)."},
		{"/etc/pam.d/jetstream", "PAM service used to authenticate system accounts."},
		{"~/.config/jetstream/known_hosts", "Certificates of servers pinned on first use by the clients."},
		{"~/.config/jetstream/config.toml", "Client host profiles (address, port, user, rate, cipher)."},
	} {
		p.Tagged(roff.I(f[0]), roff.Escape(f[1]))
	}
}

// RelayPage renders jetstream-relay_server(8) while the relay is not
// implemented: what the product's relay does, and that this build lacks it.
func RelayPage() File {
	var p roff.Page
	p.Header("jetstream-relay_server", "8", Source, Manual)
	p.Section("NAME")
	p.Text(roff.Code("jetstream-relay_server") + ` \- ` + roff.Escape("DMZ relay for a JetStream server (not yet available)"))
	p.Section("SYNOPSIS")
	p.Text(roff.B("jetstream relay_server") + " [" + roff.I("options") + "]")
	p.Section("AVAILABILITY")
	p.Text(roff.Escape("This command is not implemented in this version: jetstream relay_server is rejected " +
		"as an unknown command. This page describes the relay of the original product so that deployments " +
		"can be planned; the options below may change when it lands."))
	p.Section("DESCRIPTION")
	p.Text(roff.Escape("A relay lets a JetStream server that sits behind a firewall receive transfers. The relay " +
		"runs in the DMZ and is the only host that needs a static public address. The internal server opens its " +
		"TCP control connection outward to the relay (port 8887); the relay then opens the public UDP data port " +
		"(8886) on the server's behalf and forwards the traffic to the server over that link."))
	p.Para()
	p.Text(roff.Escape("The relay only ever sees data the server has already encrypted: it holds no keys " +
		"and cannot read transfers. Connection structures report relayIP and relayPort for transfers through a relay."))
	p.Section("OPTIONS")
	p.Tagged(roff.B("--control-port")+"="+roff.I("PORT"), roff.Escape("TCP port the relay listens on for its server (default 8887)."))
	p.Section("EXAMPLES")
	p.Text(roff.Escape("Receiving through a single relay, as in the product's documentation:"))
	p.Example(
		"relay$    jetstream relay_server --control-port=8887",
		"server$   jetstream server --recv-relay-host=relay.example.com \\",
		"              --recv-relay-port=8887 --recv-port=8886",
	)
	writeSeeAlso(&p, []string{"jetstream-server(8)", "jetstream(1)"})
	return File{Name: "jetstream-relay_server.8", Text: p.String()}
}
