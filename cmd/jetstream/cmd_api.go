package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/user"
	"strings"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/internal/prompt"
)

// apiCmd calls one API method. Connection options come before the method
// name, method parameters after it.
type apiCmd struct {
	Host       string   `help:"Server to connect to." default:"localhost" env:"JETSTREAM_HOST"`
	Port       int      `name:"api-control-port" help:"API port of the server." default:"8886" env:"JETSTREAM_API_PORT"`
	User       string   `help:"User to log in as (default: the current user)." env:"JETSTREAM_USER"`
	Superuser  bool     `help:"Call superuser() right after logging in."`
	Wait       bool     `help:"For *Async methods, wait and print the result instead of the Request Structure."`
	CAFile     string   `name:"ca-file" help:"Verify the server against these CA certificates instead of pinning it." type:"existingfile"`
	KnownHosts string   `name:"known-hosts" help:"Certificate pin file (default in the user's config dir)." env:"JETSTREAM_KNOWN_HOSTS"`
	Method     string   `arg:"" help:"API method, e.g. getServerInfo, lsAsync, send.createTransfer (the namespace may be left out when unambiguous); 'list' lists them."`
	Params     []string `arg:"" optional:"" passthrough:"" help:"Method parameters: --name=value ..."`
}

// Help is shown under the command's usage.
func (apiCmd) Help() string {
	return `The password comes from JETSTREAM_API_PASSWORD, or is asked for on the terminal.
Parameter values are typed by the method: numbers, true/false, JSON objects and
lists; repeat a list parameter to add items (--fileMappings=a:b --fileMappings=c:d).
'watch' streams events as JSON lines until interrupted.

Exit status:
  0  success
  1  the server refused or failed the command
  2  usage error (unknown method or parameter, bad value)
  3  cannot connect to the server, or TLS failure (including a changed certificate)
  4  authentication failed`
}

func (c *apiCmd) Run(env *runEnv) error {
	if c.Method == "list" {
		for _, m := range api.Methods() {
			fmt.Fprintf(env.Stdout, "%-40s %s\n", m.Name, m.Doc)
		}
		return nil
	}
	var (
		m      api.Method
		params map[string]any
		err    error
	)
	if c.Method == api.MethodWatch {
		m = api.Method{Name: api.MethodWatch, Params: []api.Param{
			{Name: "events", Type: api.TStringList}, {Name: "intervalMillis", Type: api.TInt}}}
	} else {
		var amb []string
		var ok bool
		m, amb, ok = api.Lookup(c.Method)
		if !ok {
			if len(amb) > 0 {
				return withCode(exitUsage, fmt.Errorf("method %q is ambiguous: use %s", c.Method, strings.Join(amb, " or ")))
			}
			return withCode(exitUsage, fmt.Errorf("unknown method %q%s (run 'jetstream api list')", c.Method, api.SuggestText(c.Method)))
		}
	}
	if params, err = parseMethodArgs(m, c.Params); err != nil {
		return withCode(exitUsage, err)
	}
	for _, p := range m.Params {
		if _, ok := params[p.Name]; p.Required && !ok {
			return withCode(exitUsage, fmt.Errorf("%s: missing required parameter --%s", m.Name, p.Name))
		}
	}
	cl, err := c.connect(env)
	if err != nil {
		return err
	}
	defer cl.Close()
	if !m.NoAuth || c.User != "" || c.Superuser {
		if err := c.login(env, cl); err != nil {
			return err
		}
	}
	if m.Name == api.MethodWatch {
		return c.watch(env, cl, params)
	}
	res, err := cl.CallRaw(env.Ctx, m.Name, params)
	if err == nil && c.Wait && m.Async {
		var ref api.RequestRef
		if err = json.Unmarshal(res, &ref); err == nil {
			res, err = cl.CallRaw(env.Ctx, "getRequestResult", map[string]any{"requestId": ref.RequestID})
		}
	}
	if err != nil {
		return callError(err)
	}
	return printJSON(env, res)
}

func (c *apiCmd) connect(env *runEnv) (*client.Client, error) {
	cl, err := client.Dial(env.Ctx, client.Options{
		Host: c.Host, Port: c.Port, CAFile: c.CAFile, KnownHosts: c.KnownHosts,
		OnPin: func(addr, fp, file string) {
			fmt.Fprintf(env.Stderr, "jetstream: first connection to %s: pinned its certificate %s in %s\n", addr, fp, file)
		},
	})
	if err != nil {
		return nil, withCode(exitConnect, err)
	}
	return cl, nil
}

func (c *apiCmd) login(env *runEnv, cl *client.Client) error {
	name := c.User
	if name == "" {
		u, err := user.Current()
		if err != nil {
			return withCode(exitUsage, fmt.Errorf("cannot tell the current user; give --user: %w", err))
		}
		name = u.Username
	}
	pass, err := apiPassword(fmt.Sprintf("Password for %s@%s: ", name, cl.Addr()))
	if err != nil {
		return withCode(exitUsage, err)
	}
	if err := cl.Auth(env.Ctx, name, pass); err != nil {
		if api.CodeOf(err) == api.CodeAuthFailed {
			return withCode(exitAuth, err)
		}
		return callError(err)
	}
	if c.Superuser {
		if err := cl.Superuser(env.Ctx); err != nil {
			return withCode(exitAuth, err)
		}
	}
	return nil
}

func (c *apiCmd) watch(env *runEnv, cl *client.Client, params map[string]any) error {
	var wp api.WatchParams
	b, _ := json.Marshal(params)
	_ = json.Unmarshal(b, &wp)
	w, err := cl.Watch(env.Ctx, wp)
	if err != nil {
		return callError(err)
	}
	enc := json.NewEncoder(env.Stdout)
	for {
		ev, err := w.Next(env.Ctx)
		if err != nil {
			if env.Ctx.Err() != nil {
				return nil
			}
			return withCode(exitConnect, err)
		}
		if err := enc.Encode(ev); err != nil {
			return err
		}
	}
}

// callError maps an API error to the exit codes.
func callError(err error) error {
	switch {
	case errors.Is(err, client.ErrClosed):
		return withCode(exitConnect, err)
	case errors.Is(err, context.Canceled):
		return withCode(exitSigint, errors.New("interrupted"))
	}
	switch api.CodeOf(err) {
	case api.CodeAuthFailed, api.CodeAuthRequired:
		return withCode(exitAuth, err)
	case api.CodeInvalidParameter, api.CodeUnknownMethod, api.CodeBadRequest:
		return withCode(exitUsage, err)
	}
	return withCode(exitFailed, err)
}

func printJSON(env *runEnv, raw json.RawMessage) error {
	if len(raw) == 0 {
		raw = json.RawMessage("null")
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// apiPassword reads JETSTREAM_API_PASSWORD or prompts on the terminal.
func apiPassword(text string) (string, error) {
	if p, ok := os.LookupEnv("JETSTREAM_API_PASSWORD"); ok {
		return p, nil
	}
	return prompt.Password(text)
}
