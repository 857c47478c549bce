package man

import (
	"fmt"
	"strings"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/config"
	"github.com/jetstream-go/jetstream/daemon/triggers"
	"github.com/jetstream-go/jetstream/internal/docgen/roff"
)

// writeMethods lists every API method by namespace with its parameters,
// types, whether they are required, and the method's rules.
func writeMethods(p *roff.Page) {
	p.Text(roff.Escape(`Every method the server implements, from the server's method table. ` +
		`"superuser" methods need a prior superuser() call (jetstream api --superuser); ` +
		`"async" methods return a Request Structure whose result is fetched with ` +
		`getRequestResult (or printed directly with --wait); "no login" methods may be ` +
		`called before authenticating. Parameters are given as --name=value after the method name.`))
	titles := map[string]string{"server": "Server methods", "send": "Send methods (send.)", "recv": "Receive methods (recv.)"}
	for _, ns := range []string{"server", "send", "recv"} {
		p.Subsection(roff.Escape(titles[ns]))
		for _, m := range api.Methods() {
			if m.Namespace() != ns {
				continue
			}
			var tags []string
			if m.Superuser {
				tags = append(tags, "superuser")
			}
			if m.Async {
				tags = append(tags, "async")
			}
			if m.NoAuth {
				tags = append(tags, "no login")
			}
			tag := roff.B(m.Name)
			if len(tags) > 0 {
				tag += " (" + roff.Escape(strings.Join(tags, ", ")) + ")"
			}
			body := roff.Escape(m.Doc)
			if len(m.Params) == 0 {
				body += "\n" + roff.Escape("No parameters.")
			}
			p.Tagged(tag, body)
			for _, prm := range m.Params {
				req := ""
				if prm.Required {
					req = ", required"
				}
				label := roff.B("--"+prm.Name) + " " + roff.I(string(prm.Type)) + roff.Escape(req)
				p.Raw(".RS\n")
				p.Tagged(label, roff.Escape(prm.Doc))
				p.Raw(".RE\n")
			}
		}
	}
	p.Subsection(roff.B(api.MethodWatch))
	p.Text(roff.Escape("Not a method of the table: streams the server's events as JSON lines until interrupted. " +
		"Parameters: --events (string list, the event names to receive) and --intervalMillis (int, progress interval)."))
}

// writeConfigKeys lists every server configuration key by section.
func writeConfigKeys(p *roff.Page) {
	section := ""
	for _, k := range config.Keys() {
		if k.Section != section {
			section = k.Section
			p.Subsection(roff.Escape(section))
		}
		tag := roff.B(k.Name) + " = " + roff.I(k.Kind.String())
		body := roff.Escape(k.Help) + "\n" +
			fmt.Sprintf("Default: %s. Flag: %s. Environment: %s.", roff.Code(k.Default), roff.B("--"+k.Name), roff.B(k.Env))
		p.Tagged(tag, body)
	}
}

// writeEnvKeys lists the server's environment variables.
func writeEnvKeys(p *roff.Page) {
	p.Text(roff.Escape("Every configuration key is also an environment variable; the environment overrides the file and is overridden by flags."))
	for _, k := range config.Keys() {
		p.Tagged(roff.B(k.Env), roff.Escape("Same as --"+k.Name+"."))
	}
}

// TriggersPage renders jetstream-triggers(7) from the trigger reference.
func TriggersPage() File {
	var p roff.Page
	p.Header("jetstream-triggers", "7", Source, Manual)
	p.Section("NAME")
	p.Text(roff.Code("jetstream-triggers") + ` \- ` + roff.Escape("programs the JetStream server runs on events"))
	p.Section("DESCRIPTION")
	p.Markdown(triggers.Markdown())
	writeSeeAlso(&p, []string{"jetstream-server(8)", "jetstream.toml(5)"})
	return File{Name: "jetstream-triggers.7", Text: p.String()}
}

// ConfigPage renders jetstream.toml(5) from the configuration keys.
func ConfigPage() File {
	var p roff.Page
	p.Header("jetstream.toml", "5", Source, Manual)
	p.Section("NAME")
	p.Text(roff.Code("jetstream.toml") + ` \- ` + roff.Escape("JetStream server configuration file"))
	p.Section("SYNOPSIS")
	p.Text(roff.I(config.DefaultConfigFile))
	p.Section("DESCRIPTION")
	p.Text(roff.Escape("jetstream server reads this TOML file at start: the file named by --config, else " +
		config.DefaultConfigFile + " when it exists. Every key is also a flag of jetstream server and a " +
		"JETSTREAM_* environment variable. Precedence, lowest first: built-in defaults, this file, the environment, flags."))
	p.Para()
	p.Text(roff.Escape("Unknown keys, values of the wrong type and values out of range stop the server at start " +
		"with the file, line and column of the offending value, and a suggestion for misspelt keys. " +
		"The packages install a copy with every key commented out at its default."))
	p.Section("KEYS")
	p.Text(roff.Escape("Types: int and bool are TOML integers and booleans; string is a TOML string; " +
		"duration is a string such as \"30s\" or \"1h30m\"; rate is a number in kbit/s or a string with a " +
		"K, M or G suffix in bit/s (\"500M\"); list is an array of strings. Defaults are those of a server running as root."))
	writeConfigKeys(&p)
	p.Section("EXAMPLE")
	p.Example(
		"# /etc/jetstream/jetstream.toml",
		"api-port = 8886",
		"sandbox-dir = \"/srv/jetstream/%u\"",
		"superuser = [\"alice\"]",
		"incoming-rate-limit = \"1G\"",
		"trigger-log = \"/var/log/jetstream/triggers.log\"",
	)
	writeSeeAlso(&p, []string{"jetstream-server(8)", "jetstream-triggers(7)"})
	return File{Name: "jetstream.toml.5", Text: p.String()}
}
