package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/jetstream-go/jetstream/daemon/daemontest"
)

// TestMain lets the test binary act as jscp inside scripts.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"jscp": func() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

var updateScripts = flag.Bool("update", false, "rewrite cmp golden files in testdata/script")

// TestScript runs testdata/script/*.txtar against real daemons on
// 127.0.0.1 started by the `daemon` command (see scriptcmds_test.go).
func TestScript(t *testing.T) {
	root := daemontest.OpenDir(t) // daemons acting as `nobody` must traverse $WORK
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		WorkdirRoot:   root,
		UpdateScripts: *updateScripts,
		Setup: func(env *testscript.Env) error {
			if err := os.Chmod(env.WorkDir, 0o755); err != nil {
				return err
			}
			home := filepath.Join(env.WorkDir, ".home")
			if err := os.MkdirAll(home, 0o700); err != nil {
				return err
			}
			env.Setenv("HOME", home)
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
			env.Setenv("XDG_CACHE_HOME", filepath.Join(home, ".cache"))
			env.Setenv("JETSTREAM_USER", "alice")
			env.Setenv("JETSTREAM_API_PASSWORD", scriptPassword)
			env.Setenv("TZ", "UTC")
			env.Setenv("NL", "\n")
			env.Values[tbKey{}] = t
			env.Values[daemonsKey{}] = map[string]*daemontest.Daemon{}
			return nil
		},
		Condition: func(cond string) (bool, error) {
			if cond == "root" {
				return os.Geteuid() == 0, nil
			}
			return false, nil
		},
		Cmds: scriptCmds,
	})
}
