package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/jetstream-go/jetstream/daemon/config"
	"github.com/jetstream-go/jetstream/daemon/store"
)

// userCmd manages the built-in accounts (users.db in the state directory).
// It works while the server runs: the server opens users.db only for the
// moment of a login.
type userCmd struct {
	Add    userAddCmd    `cmd:"" help:"Add a built-in account."`
	Passwd userPasswdCmd `cmd:"" help:"Set a built-in account's password."`
	Del    userDelCmd    `cmd:"" help:"Delete a built-in account."`
	List   userListCmd   `cmd:"" help:"List the built-in accounts."`
}

// userDirFlags locate the state directory the same way the server does:
// flag or JETSTREAM_PERSISTENT_STATE_DIR, then the configuration file, then
// the default.
type userDirFlags struct {
	PersistentStateDir string `name:"persistent-state-dir" env:"JETSTREAM_PERSISTENT_STATE_DIR" type:"path" placeholder:"DIR" help:"State directory of the server (default: persistent-state-dir of the configuration file, else /var/lib/jetstream/state as root, else $XDG_STATE_HOME/jetstream or ~/.local/state/jetstream)."`
	Config             string `help:"Server configuration file to take persistent-state-dir from (default ${config_file} when it exists)." type:"path" placeholder:"FILE"`
}

// stateDir resolves the state directory.
func (f *userDirFlags) stateDir() (string, error) {
	if f.PersistentStateDir != "" {
		return f.PersistentStateDir, nil
	}
	path := f.Config
	if path == "" {
		if _, err := os.Stat(config.DefaultConfigFile); err == nil {
			path = config.DefaultConfigFile
		}
	}
	if path != "" {
		file, err := config.LoadFile(path)
		if err != nil {
			return "", withCode(exitUsage, err)
		}
		if v, _, ok := file.Lookup("persistent-state-dir"); ok {
			if dir, _ := v.(string); dir != "" {
				return dir, nil
			}
		}
	}
	if dir := defaultStateDir(); dir != "" {
		return dir, nil
	}
	return "", withCode(exitUsage, errors.New("cannot tell the state directory (no home directory): pass --persistent-state-dir"))
}

// userPasswordFlags choose where a new password comes from.
type userPasswordFlags struct {
	PasswordStdin bool `name:"password-stdin" help:"Read the password from the first line of standard input instead of prompting for it."`
}

type userAddCmd struct {
	Name      string `arg:"" help:"Account name (Unix user-name rules: a-z, 0-9, _ and -, starting with a letter or _)."`
	Superuser bool   `help:"Make the account eligible for superuser()."`
	userDirFlags
	userPasswordFlags
}

// Run adds the account.
func (c *userAddCmd) Run(env *runEnv) error {
	dir, err := c.stateDir()
	if err != nil {
		return err
	}
	// Refuse a bad name before asking for a password.
	if err := store.ValidateAccountName(c.Name); err != nil {
		return withCode(exitUsage, err)
	}
	pw, err := readNewPassword(env, c.Name, c.PasswordStdin)
	if err != nil {
		return err
	}
	if err := store.AddAccount(dir, c.Name, pw, c.Superuser); err != nil {
		return err
	}
	kind := "account"
	if c.Superuser {
		kind = "superuser-eligible account"
	}
	fmt.Fprintf(env.Stdout, "Added built-in %s %s in %s.\n", kind, c.Name, dir)
	return nil
}

type userPasswdCmd struct {
	Name string `arg:"" help:"Account name."`
	userDirFlags
	userPasswordFlags
}

// Run replaces the password.
func (c *userPasswdCmd) Run(env *runEnv) error {
	dir, err := c.stateDir()
	if err != nil {
		return err
	}
	// Refuse an unknown name before asking for a password.
	if _, err := findAccount(dir, c.Name); err != nil {
		return err
	}
	pw, err := readNewPassword(env, c.Name, c.PasswordStdin)
	if err != nil {
		return err
	}
	if err := store.SetPassword(dir, c.Name, pw); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Password of %s changed.\n", c.Name)
	return nil
}

type userDelCmd struct {
	Name string `arg:"" help:"Account name."`
	userDirFlags
}

// Run deletes the account.
func (c *userDelCmd) Run(env *runEnv) error {
	dir, err := c.stateDir()
	if err != nil {
		return err
	}
	if err := store.DeleteAccount(dir, c.Name); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Deleted built-in account %s.\n", c.Name)
	return nil
}

type userListCmd struct {
	Name string `arg:"" optional:"" help:"Show only this account."`
	JSON bool   `name:"json" help:"Print a JSON array of {name, superuser, created (Unix µs)}."`
	userDirFlags
}

// accountJSON is one entry of `jetstream user list --json`.
type accountJSON struct {
	Name      string `json:"name"`
	Superuser bool   `json:"superuser"`
	Created   int64  `json:"created"`
}

// Run prints the accounts.
func (c *userListCmd) Run(env *runEnv) error {
	dir, err := c.stateDir()
	if err != nil {
		return err
	}
	var accts []store.Account
	if c.Name != "" {
		acct, err := findAccount(dir, c.Name)
		if err != nil {
			return err
		}
		accts = []store.Account{acct}
	} else if accts, err = store.ListAccounts(dir); err != nil {
		return err
	}
	if c.JSON {
		out := make([]accountJSON, 0, len(accts))
		for _, a := range accts {
			out = append(out, accountJSON{Name: a.Name, Superuser: a.Superuser, Created: a.Created})
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(accts) == 0 {
		fmt.Fprintf(env.Stdout, "No built-in accounts in %s.\n", dir)
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSUPERUSER\tCREATED")
	for _, a := range accts {
		su := "no"
		if a.Superuser {
			su = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", a.Name, su, time.UnixMicro(a.Created).UTC().Format(time.RFC3339))
	}
	return tw.Flush()
}

// findAccount returns one account (without hash) or a not-found error.
func findAccount(dir, name string) (store.Account, error) {
	accts, err := store.ListAccounts(dir)
	if err != nil {
		return store.Account{}, err
	}
	for _, a := range accts {
		if a.Name == name {
			return a, nil
		}
	}
	return store.Account{}, fmt.Errorf("%w: %q in %s", store.ErrAccountNotFound, name, dir)
}

// passwordReader is a standard input that can read a password without echo:
// a terminal, or a test's stand-in.
type passwordReader interface {
	ReadPassword() ([]byte, error)
}

// ttyReader reads from a terminal file with echo off.
type ttyReader struct{ f *os.File }

func (t ttyReader) ReadPassword() ([]byte, error) { return term.ReadPassword(int(t.f.Fd())) }

// terminalOf returns stdin as a passwordReader when it is a terminal.
func terminalOf(stdin io.Reader) passwordReader {
	switch r := stdin.(type) {
	case passwordReader:
		return r
	case *os.File:
		if term.IsTerminal(int(r.Fd())) {
			return ttyReader{r}
		}
	}
	return nil
}

// maxPasswordLine bounds what --password-stdin reads.
const maxPasswordLine = 4096

// readNewPassword gets a new password: the first line of standard input
// with --password-stdin, otherwise a prompt (twice, without echo) on the
// terminal standard input is. Without either it refuses.
func readNewPassword(env *runEnv, name string, fromStdin bool) (string, error) {
	if fromStdin {
		line, err := bufio.NewReaderSize(io.LimitReader(env.Stdin, maxPasswordLine+2), maxPasswordLine+2).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read password from standard input: %w", err)
		}
		if !strings.HasSuffix(line, "\n") && len(line) > maxPasswordLine {
			return "", fmt.Errorf("password on standard input is longer than %d bytes", maxPasswordLine)
		}
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		if line == "" {
			return "", withCode(exitUsage, errors.New("no password on standard input (--password-stdin reads its first line)"))
		}
		return line, nil
	}
	tty := terminalOf(env.Stdin)
	if tty == nil {
		return "", withCode(exitUsage, errors.New("standard input is not a terminal: pass --password-stdin to read the password from it"))
	}
	fmt.Fprintf(env.Stderr, "New password for %s: ", name)
	pw, err := tty.ReadPassword()
	fmt.Fprintln(env.Stderr)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	if len(pw) == 0 {
		return "", withCode(exitUsage, errors.New("empty password: password-less accounts cannot log in"))
	}
	fmt.Fprint(env.Stderr, "Retype the new password: ")
	again, err := tty.ReadPassword()
	fmt.Fprintln(env.Stderr)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	if string(pw) != string(again) {
		return "", withCode(exitUsage, errors.New("the passwords do not match; nothing changed"))
	}
	return string(pw), nil
}
