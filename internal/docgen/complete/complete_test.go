package complete

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/alecthomas/kong"
)

type testCLI struct {
	Verbose bool `short:"v" help:"More output. Second sentence."`
	Serve   struct {
		Config string   `help:"Config file." type:"path"`
		Mode   string   `help:"Mode." enum:"a,b" default:"a"`
		Color  bool     `negatable:"" help:"Colour."`
		Tags   []string `help:"Tags." placeholder:"TAG"`
		Dir    string   `help:"Where." placeholder:"DIR"`
		Secret string   `hidden:"" help:"Hidden."`
	} `cmd:"" help:"Serve things."`
	Call struct {
		Method string   `arg:"" help:"Method."`
		Rest   []string `arg:"" optional:""`
	} `cmd:"" help:"Call a method."`
	Internal struct{} `cmd:"" hidden:"" help:"Hidden command."`
}

func testModel(t *testing.T) *Command {
	t.Helper()
	var cli testCLI
	p, err := kong.New(&cli, kong.Name("prog"))
	if err != nil {
		t.Fatal(err)
	}
	return FromKong(p.Model, Options{ArgWords: map[string][]string{"call": {"ping", "it's"}}})
}

func TestFromKong(t *testing.T) {
	c := testModel(t)
	var names []string
	for _, s := range c.Subs {
		names = append(names, s.Name)
	}
	if !reflect.DeepEqual(names, []string{"serve", "call"}) {
		t.Fatalf("subcommands %v, want [serve call] (hidden left out)", names)
	}
	serve := c.Subs[0]
	flags := map[string]Flag{}
	for _, f := range serve.Flags {
		flags[f.Long] = f
	}
	if _, ok := flags["secret"]; ok {
		t.Error("hidden flag completed")
	}
	for name, want := range map[string]Flag{
		"config":  {Long: "config", Help: "Config file.", Value: true, Kind: Files},
		"mode":    {Long: "mode", Help: "Mode.", Value: true, Kind: Words, Words: []string{"a", "b"}},
		"color":   {Long: "color", Negation: "no-color", Help: "Colour."},
		"tags":    {Long: "tags", Help: "Tags.", Value: true, Repeat: true},
		"dir":     {Long: "dir", Help: "Where.", Value: true, Kind: Dirs},
		"verbose": {Long: "verbose", Short: 'v', Help: "More output."},
	} {
		if got := flags[name]; !reflect.DeepEqual(got, want) {
			t.Errorf("flag %s = %+v, want %+v", name, got, want)
		}
	}
	if call := c.Subs[1]; call.Path != "call" || call.Args != Words || len(call.Words) != 2 {
		t.Errorf("call = %+v, want path call with word args", call)
	}
}

func TestScriptsParse(t *testing.T) {
	c := testModel(t)
	o := Options{ArgWords: map[string][]string{"call": {"ping", "it's"}}, RemoteHelper: "prog --remote"}
	dir := t.TempDir()
	for _, tc := range []struct {
		shell string
		gen   func(*bytes.Buffer) error
		check []string // syntax check command
	}{
		{"bash", func(b *bytes.Buffer) error { return Bash(b, c, o) }, []string{"bash", "-n"}},
		{"zsh", func(b *bytes.Buffer) error { return Zsh(b, c, o) }, []string{"zsh", "-n"}},
		{"fish", func(b *bytes.Buffer) error { return Fish(b, c, o) }, []string{"fish", "--no-execute"}},
	} {
		var b bytes.Buffer
		if err := tc.gen(&b); err != nil {
			t.Fatalf("%s: %v", tc.shell, err)
		}
		var again bytes.Buffer
		_ = tc.gen(&again)
		if b.String() != again.String() {
			t.Errorf("%s: output is not deterministic", tc.shell)
		}
		for _, want := range []string{"serve", "config", "no-color", "it"} {
			if !strings.Contains(b.String(), want) {
				t.Errorf("%s script lacks %q", tc.shell, want)
			}
		}
		if _, err := exec.LookPath(tc.check[0]); err != nil {
			t.Logf("%s not installed: syntax not checked", tc.shell)
			continue
		}
		f := filepath.Join(dir, "script."+tc.shell)
		if err := os.WriteFile(f, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(tc.check[0], append(tc.check[1:], f)...).CombinedOutput(); err != nil {
			t.Errorf("%s syntax: %v\n%s", tc.shell, err, out)
		}
	}
}

func TestQuoting(t *testing.T) {
	for _, tc := range []struct {
		fn       func(string) string
		in, want string
	}{
		{shQuote, "it's", `'it'\''s'`},
		{fishQuote, `it's \x`, `'it\'s \\x'`},
		{func(s string) string { return zshEscape(s, true) }, "a:b [c]", `a\:b\ \[c\]`},
		{func(s string) string { return zshEscape(s, false) }, "a:b [c]", `a:b \[c\]`},
		{funcName, "my-prog", "_my_prog"},
		{zshSuffix, "user add", "__user__add"},
		{firstSentence, "One. Two.", "One."},
		{firstSentence, "e.g. this", "e.g. this"},
	} {
		if got := tc.fn(tc.in); got != tc.want {
			t.Errorf("%q -> %q, want %q", tc.in, got, tc.want)
		}
	}
}
