package main

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/jetstream-go/jetstream/daemon/daemontest"
	"github.com/jetstream-go/jetstream/fsops"
)

const scriptPassword = "pw-alice-1"

type (
	tbKey      struct{}
	daemonsKey struct{}
)

// scriptCmds are the commands scripts use besides testscript's own.
var scriptCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	"daemon":    cmdDaemon,
	"stop":      cmdStop,
	"status":    cmdStatus,
	"mkfile":    cmdMkfile,
	"own":       cmdOwn,
	"waitsize":  cmdWaitsize,
	"freeport":  cmdFreeport,
	"normjson":  cmdNormJSON,
	"sizeof":    cmdSizeof,
	"jsonfield": cmdJSONField,
}

// scriptTB adapts a script to the testing.TB daemontest wants: failures
// fail the script, cleanups run when the script ends.
type scriptTB struct {
	testing.TB
	ts *testscript.TestScript
}

func (s scriptTB) Helper()                      {}
func (s scriptTB) Fatal(args ...any)            { s.ts.Fatalf("%s", fmt.Sprint(args...)) }
func (s scriptTB) Fatalf(f string, args ...any) { s.ts.Fatalf(f, args...) }
func (s scriptTB) Skipf(f string, args ...any)  { s.ts.Fatalf("cannot run: "+f, args...) }
func (s scriptTB) Errorf(f string, args ...any) { s.TB.Errorf(f, args...) }
func (s scriptTB) Log(args ...any)              { s.TB.Log(args...) }     // daemon goroutines log:
func (s scriptTB) Logf(f string, args ...any)   { s.TB.Logf(f, args...) } // ts.Logf is not concurrency-safe
func (s scriptTB) Cleanup(f func())             { s.ts.Defer(f) }
func (s scriptTB) TempDir() string {
	dir, err := os.MkdirTemp(s.ts.Getenv("WORK"), ".daemon")
	s.ts.Check(err)
	return dir
}

func daemons(ts *testscript.TestScript) map[string]*daemontest.Daemon {
	m, _ := ts.Value(daemonsKey{}).(map[string]*daemontest.Daemon)
	if m == nil {
		ts.Fatalf("no daemon table (Setup did not run)")
	}
	return m
}

// daemon NAME [sandbox=DIR]: start a daemon on 127.0.0.1 with user alice
// (password $JETSTREAM_API_PASSWORD) and set $NAME to 127.0.0.1:PORT and
// $NAME_PORT to its API port. A sandbox DIR may contain %u; the user's
// directory is created and owned by the identity the daemon acts as.
func cmdDaemon(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: daemon NAME [sandbox=DIR]")
	}
	tb := scriptTB{TB: ts.Value(tbKey{}).(testing.TB), ts: ts}
	var opts []daemontest.Option
	for _, a := range args[1:] {
		dir, ok := strings.CutPrefix(a, "sandbox=")
		if !ok {
			ts.Fatalf("daemon: unknown option %q", a)
		}
		dir = ts.MkAbs(dir)
		daemontest.OwnedDir(tb, strings.ReplaceAll(dir, "%u", "alice"), daemontest.BuiltinIdentity(tb))
		opts = append(opts, daemontest.WithSandbox(dir))
	}
	d := daemontest.Start(tb, opts...)
	d.AddUser("alice", scriptPassword, false)
	daemons(ts)[args[0]] = d
	ts.Setenv(args[0], "127.0.0.1:"+strconv.Itoa(d.Port))
	ts.Setenv(args[0]+"_PORT", strconv.Itoa(d.Port))
}

// stop NAME: shut a daemon down.
func cmdStop(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: stop NAME")
	}
	d := daemons(ts)[args[0]]
	if d == nil {
		ts.Fatalf("no daemon %s", args[0])
	}
	d.Stop()
}

// status CODE COMMAND [ARGS...]: run COMMAND and require exit status CODE;
// stdout and stderr are kept for the next assertions.
func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: status CODE COMMAND [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("%v", err)
	}
	if got != want {
		ts.Logf("[stderr]\n%s", ts.ReadFile("stderr"))
		ts.Fatalf("exit status %d, want %d", got, want)
	}
}

// mkfile PATH SIZE: a file of SIZE pseudo-random bytes (parents created).
func cmdMkfile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: mkfile PATH SIZE")
	}
	n, err := strconv.ParseInt(args[1], 10, 64)
	ts.Check(err)
	p := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(filepath.Dir(p), 0o755))
	r := rand.New(rand.NewPCG(uint64(n), 7))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	ts.Check(os.WriteFile(p, b, 0o644))
}

// own [-root] PATH...: give trees to the identity built-in users act as (as
// root), so a daemon can write or read them; -root gives them back to root.
// Missing paths are created as directories.
func cmdOwn(ts *testscript.TestScript, neg bool, args []string) {
	tb := scriptTB{TB: ts.Value(tbKey{}).(testing.TB), ts: ts}
	id := daemontest.BuiltinIdentity(tb)
	if len(args) > 0 && args[0] == "-root" {
		id, args = fsops.Identity{}, args[1:]
	}
	for _, a := range args {
		p := ts.MkAbs(a)
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			ts.Check(os.MkdirAll(p, 0o755))
		}
		daemontest.ChownTree(tb, p, id)
	}
}

// waitsize DIR BYTES: wait (at most 30 s) until the regular files below DIR
// hold at least BYTES bytes.
func cmdWaitsize(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: waitsize DIR BYTES")
	}
	want, err := strconv.ParseInt(args[1], 10, 64)
	ts.Check(err)
	dir := ts.MkAbs(args[0])
	var total int64
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		total = 0
		filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				if fi, err := d.Info(); err == nil {
					total += fi.Size()
				}
			}
			return nil
		})
		if total >= want {
			return
		}
	}
	ts.Fatalf("%s holds %d bytes after 30s, want %d", args[0], total, want)
}

// freeport VAR: set VAR to a TCP port on 127.0.0.1 nothing listens on.
func cmdFreeport(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: freeport VAR")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	ts.Setenv(args[0], strconv.Itoa(port))
}

// sizeof PATH OP N: compare a file's size (OP is <, <=, ==, >=, >).
func cmdSizeof(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: sizeof PATH OP N")
	}
	fi, err := os.Stat(ts.MkAbs(args[0]))
	ts.Check(err)
	n, err := strconv.ParseInt(args[2], 10, 64)
	ts.Check(err)
	if !compare(ts, float64(fi.Size()), args[1], float64(n)) {
		ts.Fatalf("%s is %d bytes, want %s %d", args[0], fi.Size(), args[1], n)
	}
}
