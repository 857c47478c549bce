package driver

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// daemon is a `jetstream server` running in namespace B for one run.
type daemon struct {
	cmd     *exec.Cmd
	done    chan error
	logPath string
	stopped bool
	err     error
}

// startDaemon creates a state directory with the bench account and a
// sandbox owned by nobody (built-in accounts write as nobody) under dir,
// starts the daemon in B with API and data on port, and waits until the
// API listens.
func startDaemon(ctx context.Context, env *Env, bin, dir string, port int) (*daemon, error) {
	state, sandbox := filepath.Join(dir, "state"), filepath.Join(dir, "sandbox")
	if err := os.MkdirAll(sandbox, 0o755); err != nil {
		return nil, err
	}
	if err := chownNobody(sandbox); err != nil {
		return nil, err
	}
	add := exec.CommandContext(ctx, bin, "user", "add", jsUser, "--persistent-state-dir", state, "--password-stdin")
	add.Stdin = strings.NewReader(jsPassword + "\n")
	if out, err := add.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("jetstream user add: %w: %s", err, bytes.TrimSpace(out))
	}
	d := &daemon{logPath: filepath.Join(dir, "daemon.log"), done: make(chan error, 1)}
	p := strconv.Itoa(port)
	d.cmd = env.B.Command(context.WithoutCancel(ctx), bin, "server", "--persistent-state-dir", state,
		"--sandbox-dir", sandbox, "--api-host", env.AddrB.String(), "--api-port", p, "--recv-port", p,
		"--log", d.logPath, "--trigger-dir", filepath.Join(dir, "triggers"))
	prepare(d.cmd, 5*time.Second)
	if err := d.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start jetstream server: %w", err)
	}
	go func() { d.done <- d.cmd.Wait() }()
	if err := WaitListening(ctx, d.cmd.Process.Pid, port, 10*time.Second); err != nil {
		d.stop()
		return nil, fmt.Errorf("jetstream server: %w; log: %s", err, d.logTail())
	}
	return d, nil
}

// stop sends SIGTERM, waits up to 10 s, then SIGKILLs. It returns the
// daemon's exit error, if any; calling it again returns the same.
func (d *daemon) stop() error {
	if d.stopped {
		return d.err
	}
	d.stopped = true
	_ = d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case d.err = <-d.done:
	case <-time.After(10 * time.Second):
		_ = d.cmd.Process.Kill()
		d.err = fmt.Errorf("did not stop within 10 s of SIGTERM: %w", <-d.done)
	}
	return d.err
}

// logTail returns the last lines of the daemon's log for error messages.
func (d *daemon) logTail() string {
	b, err := os.ReadFile(d.logPath)
	if err != nil {
		return "(no log)"
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return strings.Join(lines, " | ")
}

func chownNobody(path string) error {
	u, err := user.Lookup("nobody")
	if err != nil {
		return err
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("nobody has a non-numeric uid %q / gid %q", u.Uid, u.Gid)
	}
	return os.Chown(path, uid, gid)
}
