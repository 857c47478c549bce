package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/alecthomas/kong"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/internal/docgen/complete"
	"github.com/jetstream-go/jetstream/internal/docgen/man"
)

// DocFlags are jscp's flags for shells and packaging; embedded in cli.
type DocFlags struct {
	Completion     string `name:"completion" help:"Print a completion script for SHELL (bash, zsh or fish) and exit." placeholder:"SHELL" enum:"bash,zsh,fish," default:""`
	CompleteRemote string `name:"complete-remote" hidden:"" help:"Print remote paths completing WORD ([user@]host[:port]:path), for the completion scripts."`
	ManPage        bool   `name:"man-page" hidden:"" help:"Print the jscp(1) man page and exit."`
}

// remoteCompletionTimeout bounds --complete-remote: a shell waits for it.
const remoteCompletionTimeout = 3 * time.Second

// exitCodes documents jscp's exit statuses for jscp(1).
var exitCodes = []man.ExitCode{
	{Code: exitOK, Meaning: "Success: every file was copied and verified."},
	{Code: exitError, Meaning: "Other error."},
	{Code: exitUsage, Meaning: "Usage error: bad option, argument or location."},
	{Code: exitConnect, Meaning: "Cannot connect to the server, or TLS failed (including a changed certificate)."},
	{Code: exitAuth, Meaning: "Authentication failed."},
	{Code: exitNoSource, Meaning: "A source was not found, or permission was denied."},
	{Code: exitPartial, Meaning: "Some files failed; the others were copied (partial success)."},
	{Code: exitIntegrity, Meaning: "An integrity check failed."},
	{Code: exitInterrupted, Meaning: "The transfer was interrupted (connection lost): run the same command again to resume."},
	{Code: exitSigint, Meaning: "Interrupted by SIGINT or SIGTERM; partial data is kept for resuming."},
}

// completeOptions tells the completion generator about remote specs.
var completeOptions = complete.Options{RemoteArgs: []string{""}, RemoteHelper: "jscp --complete-remote"}

// docs handles --completion, --man-page and --complete-remote. handled
// reports whether one of them was given (then code is the exit status).
func (d *DocFlags) docs(ctx context.Context, app *kong.Application, stdout, stderr io.Writer) (handled bool, code int) {
	var err error
	switch {
	case d.Completion != "":
		cmd := complete.FromKong(app, completeOptions)
		gen := map[string]func(io.Writer, *complete.Command, complete.Options) error{
			"bash": complete.Bash, "zsh": complete.Zsh, "fish": complete.Fish}[d.Completion]
		err = gen(stdout, cmd, completeOptions)
	case d.ManPage:
		_, err = io.WriteString(stdout, man.Jscp(app, exitCodes).Text)
	case d.CompleteRemote != "":
		ctx, cancel := context.WithTimeout(ctx, remoteCompletionTimeout)
		defer cancel()
		for _, s := range remoteCompletions(ctx, d.CompleteRemote, dialForCompletion) {
			fmt.Fprintln(stdout, s)
		}
		return true, exitOK // silent on any failure: a shell is waiting
	default:
		return false, 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "jscp:", err)
		return true, exitError
	}
	return true, exitOK
}

// lister lists a remote directory; *client.Client is one.
type lister interface {
	Ls(ctx context.Context, path string, directory bool) (api.LsResult, error)
	Close() error
}

// dialForCompletion logs in without prompting, only when
// JETSTREAM_API_PASSWORD is set. It verifies the server like jscp does
// (pin file or --ca-file is not available here: the pin file only).
func dialForCompletion(ctx context.Context, r remoteSpec, user string) (lister, error) {
	pass, ok := os.LookupEnv("JETSTREAM_API_PASSWORD")
	if !ok {
		return nil, fmt.Errorf("no password in the environment")
	}
	port := api.DefaultAPIPort
	if r.Port != 0 {
		port = r.Port
	}
	cl, err := client.Dial(ctx, client.Options{Host: r.Host, Port: port, DialTimeout: remoteCompletionTimeout,
		KnownHosts: os.Getenv("JETSTREAM_KNOWN_HOSTS")})
	if err != nil {
		return nil, err
	}
	if user == "" {
		user = r.User
	}
	if err := cl.Auth(ctx, user, pass); err != nil {
		cl.Close()
		return nil, err
	}
	return cl, nil
}

// remoteCompletions returns the completions of word: the entries of the
// remote directory that start with the last path element, each written
// back as word's host part plus the full path, directories with a
// trailing '/'. Any failure gives no completions.
func remoteCompletions(ctx context.Context, word string, dial func(context.Context, remoteSpec, string) (lister, error)) []string {
	spec, remote, err := parseSpec(word)
	if !remote || err != nil {
		return nil
	}
	prefix := word[:len(word)-len(spec.Path)] // "user@host:port:"
	dir, base := ".", spec.Path
	if i := strings.LastIndexByte(spec.Path, '/'); i >= 0 {
		dir, base = spec.Path[:i+1], spec.Path[i+1:]
	}
	user := os.Getenv("JETSTREAM_USER")
	cl, err := dial(ctx, spec, user)
	if err != nil {
		return nil
	}
	defer cl.Close()
	res, err := cl.Ls(ctx, dir, false)
	if err != nil {
		return nil
	}
	var out []string
	for _, f := range res.Files {
		name := path.Base(f.Name)
		if !strings.HasPrefix(name, base) || (base == "" && strings.HasPrefix(name, ".")) {
			continue
		}
		p := name
		if dir != "." {
			p = dir + name
		}
		if f.Type&api.FileTypeDirectory != 0 {
			p += "/"
		}
		out = append(out, prefix+p)
	}
	sort.Strings(out)
	return out
}
