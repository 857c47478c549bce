package triggers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// waitDelay bounds how long a finished or killed trigger's output pipes may
// stay open (held by a child it left in the background) before the worker
// moves on.
const waitDelay = 2 * time.Second

// execute runs c to completion (or timeout) and reports what happened.
func (r *Runner) execute(c Call) Result {
	start := r.cfg.Now()
	res := Result{Call: c, Start: start, ExitCode: -1}
	path := filepath.Join(r.cfg.Dir, c.Name)
	if why := notRunnable(path); why != nil {
		res.Skipped, res.Err = true, why
		r.log.line(start, "skip", c, why.Error())
		return res
	}
	r.log.line(start, "run", c, "")
	ctx, cancel := r.ctx, context.CancelFunc(func() {})
	if r.cfg.Timeout > 0 {
		ctx, cancel = context.WithTimeout(r.ctx, r.cfg.Timeout)
	}
	defer cancel()
	var out *outputWriter
	if r.log != nil {
		out = &outputWriter{l: r.log, left: r.cfg.MaxOutputBytes}
	}
	state, err := r.start(ctx, path, c, out)
	res.Duration = r.cfg.Now().Sub(start)
	if out != nil {
		out.finish(r.cfg.MaxOutputBytes)
	}
	switch {
	case state == nil: // never started
		res.Err = err
		r.log.line(r.cfg.Now(), "fail", c, err.Error())
		return res
	case ctx.Err() != nil && !state.Exited():
		res.Ran = true
		if errors.Is(ctx.Err(), context.DeadlineExceeded) && r.ctx.Err() == nil {
			res.TimedOut = true
			res.Err = fmt.Errorf("killed: timeout %v", r.cfg.Timeout)
		} else {
			res.Err = errors.New("killed: daemon stopping")
		}
	default:
		res.Ran = true
		res.ExitCode = state.ExitCode()
		if !state.Success() {
			res.Err = fmt.Errorf("trigger %s: %s", c.Name, state.String())
		}
	}
	r.log.line(r.cfg.Now(), "end", c, fmt.Sprintf("status=%s duration=%v", res.Status(), res.Duration.Round(time.Millisecond)))
	return res
}

// notRunnable says why path is not a trigger to run, or nil.
func notRunnable(path string) error {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return errors.New("no longer exists")
	case err != nil:
		return err
	case !fi.Mode().IsRegular():
		return fmt.Errorf("not a regular file (%v)", fi.Mode().Type())
	case fi.Mode().Perm()&0o111 == 0:
		return fmt.Errorf("not executable (mode %v; chmod +x to enable it)", fi.Mode().Perm())
	}
	return nil
}

// start runs the trigger and waits for it. A script without a "#!" line is
// run by /bin/sh, as a shell would. state is nil if no process started.
func (r *Runner) start(ctx context.Context, path string, c Call, out *outputWriter) (state *os.ProcessState, err error) {
	cmd := r.command(ctx, path, c, out, false)
	err = cmd.Start()
	if isNoExec(err) {
		cmd = r.command(ctx, path, c, out, true)
		err = cmd.Start()
	}
	if err != nil {
		return nil, err
	}
	err = cmd.Wait()
	return cmd.ProcessState, err
}

func (r *Runner) command(ctx context.Context, path string, c Call, out *outputWriter, viaShell bool) *exec.Cmd {
	var cmd *exec.Cmd
	if viaShell {
		cmd = exec.CommandContext(ctx, "/bin/sh", append([]string{path}, c.Args...)...)
	} else {
		cmd = exec.CommandContext(ctx, path, c.Args...)
	}
	cmd.Dir = r.cfg.Dir
	cmd.Env = triggerEnv(r.cfg.Environ())
	if len(c.Stdin) > 0 {
		cmd.Stdin = bytes.NewReader(c.Stdin)
	}
	if out != nil {
		cmd.Stdout, cmd.Stderr = out, out
	}
	cmd.WaitDelay = waitDelay
	ownProcessGroup(cmd)
	return cmd
}

// secretEnv lists environment variables never passed to triggers.
var secretEnv = []string{"JETSTREAM_API_PASSWORD"}

// triggerEnv is environ without secrets: JETSTREAM_API_PASSWORD and any
// other JETSTREAM_* variable whose name mentions a password.
func triggerEnv(environ []string) []string {
	out := make([]string, 0, len(environ))
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if isSecretEnv(name) {
			continue
		}
		out = append(out, kv)
	}
	return out
}

func isSecretEnv(name string) bool {
	for _, s := range secretEnv {
		if name == s {
			return true
		}
	}
	return strings.HasPrefix(name, "JETSTREAM_") && strings.Contains(name, "PASSWORD")
}
