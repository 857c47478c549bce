package man

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/alecthomas/kong"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/config"
)

type testCLI struct {
	Server struct {
		Config string `help:"TOML file." type:"path" placeholder:"FILE"`
	} `cmd:"" help:"Run the daemon."`
	API struct {
		Host   string `help:"Server." default:"localhost" env:"JETSTREAM_HOST"`
		Method string `arg:"" help:"Method."`
	} `cmd:"" name:"api" help:"Call one API method."`
	User struct {
		Add struct {
			Name string `arg:"" help:"Account."`
		} `cmd:"" help:"Add an account."`
	} `cmd:"" help:"Manage accounts."`
	Version struct{} `cmd:"" help:"Print the version."`
	Man     struct{} `cmd:"" hidden:"" help:"Hidden."`
}

func testApp(t *testing.T) *kong.Application {
	t.Helper()
	var cli testCLI
	p, err := kong.New(&cli, kong.Name("jetstream"))
	if err != nil {
		t.Fatal(err)
	}
	return p.Model
}

func pages(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range Jetstream(testApp(t), []ExitCode{{0, "Success."}}) {
		out[f.Name] = f.Text
	}
	return out
}

func TestJetstreamPageSet(t *testing.T) {
	got := pages(t)
	for _, want := range []string{"jetstream.1", "jetstream-server.8", "jetstream-api.1", "jetstream-user.8",
		"jetstream-relay_server.8", "jetstream.toml.5", "jetstream-triggers.7"} {
		if _, ok := got[want]; !ok {
			t.Errorf("no page %s (have %d pages)", want, len(got))
		}
	}
	if _, ok := got["jetstream-man.1"]; ok {
		t.Error("hidden command got a page")
	}
	if len(got) != 7 {
		t.Errorf("%d pages, want 7", len(got))
	}
	root := got["jetstream.1"]
	for _, want := range []string{`See \fB\%jetstream\-server\fR(8).`, `.SS "\%jetstream version"`, "relay_server"} {
		if !strings.Contains(root, want) && !strings.Contains(root, strings.ReplaceAll(want, `\%`, "")) {
			t.Errorf("jetstream.1 lacks %q", want)
		}
	}
}

func TestAPIPageListsEveryMethod(t *testing.T) {
	page := pages(t)["jetstream-api.1"]
	for _, m := range api.Methods() {
		if !strings.Contains(page, `\fB\%`+strings.ReplaceAll(m.Name, "-", `\-`)+`\fR`) {
			t.Errorf("jetstream-api.1 lacks method %s", m.Name)
		}
		for _, p := range m.Params {
			if !strings.Contains(page, `\-\-`+p.Name) {
				t.Errorf("jetstream-api.1 lacks %s --%s", m.Name, p.Name)
			}
		}
	}
	if !strings.Contains(page, "(superuser, async)") || !strings.Contains(page, ", required") {
		t.Error("jetstream-api.1 does not mark superuser/async methods or required parameters")
	}
}

func TestConfigPageListsEveryKey(t *testing.T) {
	page := pages(t)["jetstream.toml.5"]
	for _, k := range config.Keys() {
		name := strings.ReplaceAll(k.Name, "-", `\-`)
		if !strings.Contains(page, `\fB\%`+name+`\fR = `) || !strings.Contains(page, strings.ReplaceAll(k.Env, "-", `\-`)) {
			t.Errorf("jetstream.toml.5 lacks key %s / %s", k.Name, k.Env)
		}
	}
}

func TestPagesRenderWithoutWarnings(t *testing.T) {
	if _, err := exec.LookPath("groff"); err != nil {
		t.Skip("groff not installed")
	}
	for name, text := range pages(t) {
		cmd := exec.Command("groff", "-ww", "-man", "-Tutf8", "-z")
		cmd.Stdin = strings.NewReader(text)
		out, err := cmd.CombinedOutput()
		if err != nil || len(out) > 0 {
			t.Errorf("%s: groff: %v\n%s", name, err, out)
		}
	}
}

func TestSummaryOf(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Run the daemon.", "run the daemon"},
		{"API console.", "API console"},
		{"", ""},
	} {
		if got := summaryOf(tc.in); got != tc.want {
			t.Errorf("summaryOf(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
