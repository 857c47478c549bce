package man

import (
	"github.com/alecthomas/kong"

	"github.com/jetstream-go/jetstream/internal/docgen/roff"
)

// Jscp renders jscp(1) with its exit codes.
func Jscp(app *kong.Application, exits []ExitCode) File {
	return CommandPage(app.Node, CommandSpec{
		Name: "jscp", Section: "1", Program: "jscp",
		Summary: "copy files to and from JetStream servers",
		Description: []string{
			"jscp copies files between this host and JetStream servers over the accelerated UDP engine, " +
				"with the command line of scp(1). A remote location is written [user@]host[:port]:path, where " +
				"port is the server's API port (default 8886). The last argument is the destination: with a " +
				"remote destination jscp uploads the local sources; with a local destination it downloads the " +
				"remote sources. Local paths containing a colon can be written ./a:b.",
			"jscp logs in over the server's TLS API, verifies the server's certificate against the pin stored " +
				"on first use (or against --ca-file), then moves the data over UDP, encrypted with the chosen " +
				"cipher. Interrupted copies keep their partial data: running the same command again resumes them " +
				"(--no-resume starts over).",
			"Shell completion completes flags and local files; for words containing a colon it lists remote " +
				"directories through the API when JETSTREAM_API_PASSWORD is set, and stays silent otherwise.",
		},
		After: []Section{
			{"EXIT STATUS", func(p *roff.Page) { writeExits(p, exits) }},
			{"ENVIRONMENT", func(p *roff.Page) {
				for _, e := range [][2]string{
					{"JETSTREAM_API_PASSWORD", "Password used to log in; when unset jscp asks for it on the terminal (and remote completion stays silent)."},
					{"JETSTREAM_USER", "User on the server when the location gives none (same as --user)."},
					{"JETSTREAM_KNOWN_HOSTS", "Certificate pin file (default ~/.config/jetstream/known_hosts)."},
				} {
					p.Tagged(roff.B(e[0]), roff.Escape(e[1]))
				}
			}},
			{"FILES", func(p *roff.Page) {
				p.Tagged(roff.I("~/.config/jetstream/known_hosts"), roff.Escape("Certificates of servers, pinned on first connection; a changed certificate stops jscp with exit status 3."))
				p.Tagged(roff.I("~/.config/jetstream/config.toml"), roff.Escape("Client host profiles (address, port, user, rate, cipher, policy)."))
			}},
			{"EXAMPLES", func(p *roff.Page) {
				p.Paragraph("Upload a directory at up to 500 Mbit/s:")
				p.Example("jscp -r -l 500M ./photos alice@files.example.com:/incoming/")
				p.Paragraph("Download two files into the current directory, without a password prompt:")
				p.Example("JETSTREAM_API_PASSWORD=secret jscp files.example.com:/data/a.iso files.example.com:/data/b.iso .")
				p.Paragraph("Use a server on API port 9000 and stream JSON events for a script:")
				p.Example("jscp --json big.tar files.example.com:9000:/backups/ | jq -c 'select(.event == \"complete\")'")
				p.Paragraph("Enable completion in bash for the current shell:")
				p.Example("source <(jscp --completion bash)")
			}},
		},
		SeeAlso: []string{"jetstream(1)", "jetstream-server(8)", "scp(1)"},
	})
}
