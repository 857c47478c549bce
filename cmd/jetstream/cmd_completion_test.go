package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCompletionCommand(t *testing.T) {
	for _, tc := range []struct {
		shell string
		want  []string
	}{
		{"bash", []string{"complete -F _jetstream jetstream", "'') echo 'server api user", "getServerInfo"}},
		{"zsh", []string{"#compdef jetstream", "_jetstream__user__add()", "'--api-port=["}},
		{"fish", []string{"complete -c jetstream", "-a 'server'", "-l api-port"}},
	} {
		var out, errb bytes.Buffer
		if code := run([]string{"completion", tc.shell}, strings.NewReader(""), &out, &errb); code != exitOK {
			t.Fatalf("completion %s: exit %d: %s", tc.shell, code, errb.String())
		}
		for _, w := range tc.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("completion %s lacks %q", tc.shell, w)
			}
		}
	}
	var out, errb bytes.Buffer
	if code := run([]string{"completion", "tcsh"}, strings.NewReader(""), &out, &errb); code != exitUsage {
		t.Errorf("completion tcsh: exit %d, want %d", code, exitUsage)
	}
}

func TestManCommandWritesPages(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "jetstream.toml")
	var out, errb bytes.Buffer
	if code := run([]string{"man", filepath.Join(dir, "man"), "--config", conf}, strings.NewReader(""), &out, &errb); code != exitOK {
		t.Fatalf("man: exit %d: %s", code, errb.String())
	}
	for _, name := range []string{"jetstream.1", "jetstream-server.8", "jetstream-api.1", "jetstream-relay_server.8",
		"jetstream.toml.5", "jetstream-triggers.7"} {
		b, err := os.ReadFile(filepath.Join(dir, "man", name))
		if err != nil || !bytes.HasPrefix(b, []byte(`.\" Generated`)) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if b, err := os.ReadFile(conf); err != nil || !bytes.Contains(b, []byte("# api-port = 8886")) {
		t.Errorf("config template: %v %.60q", err, b)
	}
	// The hidden command stays out of the help.
	out.Reset()
	run([]string{"--help"}, strings.NewReader(""), &out, &errb)
	if strings.Contains(out.String(), "man ") && strings.Contains(out.String(), "Write the man pages") {
		t.Error("man command shows in --help")
	}
}
