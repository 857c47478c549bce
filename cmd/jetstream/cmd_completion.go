package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/config"
	"github.com/jetstream-go/jetstream/internal/docgen/complete"
	"github.com/jetstream-go/jetstream/internal/docgen/man"
)

// completionCmd prints a completion script generated from the CLI model.
type completionCmd struct {
	Shell string `arg:"" enum:"bash,zsh,fish" help:"Shell to print the script for: bash, zsh or fish."`
}

// Help is shown under the command's usage.
func (completionCmd) Help() string {
	return `The packages install the scripts; to try them in the current shell:
  bash:  source <(jetstream completion bash)
  zsh:   source <(jetstream completion zsh)    (after compinit)
  fish:  jetstream completion fish | source`
}

func (c *completionCmd) Run(env *runEnv) error {
	cmd := complete.FromKong(env.kctx.Model, completeOptions())
	switch c.Shell {
	case "bash":
		return complete.Bash(env.Stdout, cmd, completeOptions())
	case "zsh":
		return complete.Zsh(env.Stdout, cmd, completeOptions())
	case "fish":
		return complete.Fish(env.Stdout, cmd, completeOptions())
	}
	return withCode(exitUsage, fmt.Errorf("unknown shell %q: use bash, zsh or fish", c.Shell))
}

// completeOptions adds what the kong model does not know: API method names.
func completeOptions() complete.Options {
	names := []string{"list", api.MethodWatch}
	for _, m := range api.Methods() {
		names = append(names, m.Name)
	}
	return complete.Options{ArgWords: map[string][]string{"api": names}}
}

// manCmd writes the man pages (and the packaged configuration file); it is
// hidden and run by `make generate`.
type manCmd struct {
	Dir    string `arg:"" help:"Directory to write the pages into (created if missing)." type:"path"`
	Config string `help:"Also write the commented default server configuration to FILE." type:"path" placeholder:"FILE"`
}

// exitCodes documents the exit statuses of jetstream.
var exitCodes = []man.ExitCode{
	{Code: exitOK, Meaning: "Success."},
	{Code: exitFailed, Meaning: "The server refused or failed the command, or the server stopped on an error."},
	{Code: exitUsage, Meaning: "Usage error: unknown command, method, flag or parameter, or a bad value."},
	{Code: exitConnect, Meaning: "Cannot connect to the server, or TLS failed (including a changed certificate)."},
	{Code: exitAuth, Meaning: "Authentication failed."},
	{Code: exitSigint, Meaning: "Interrupted by SIGINT or SIGTERM."},
}

func (c *manCmd) Run(env *runEnv) error {
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return err
	}
	for _, f := range man.Jetstream(env.kctx.Model, exitCodes) {
		if err := os.WriteFile(filepath.Join(c.Dir, f.Name), []byte(f.Text), 0o644); err != nil {
			return err
		}
	}
	if c.Config != "" {
		if err := os.WriteFile(c.Config, []byte(config.Template()), 0o644); err != nil {
			return err
		}
	}
	return nil
}
