//go:build unix

package triggers

import (
	"errors"
	"os/exec"
	"syscall"
)

// ownProcessGroup puts the trigger in a process group of its own so that a
// timeout kills it together with everything it started.
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		if errors.Is(err, syscall.ESRCH) {
			return nil
		}
		return err
	}
}

// isNoExec reports an executable the kernel cannot run itself: a script
// without a "#!" line.
func isNoExec(err error) bool { return errors.Is(err, syscall.ENOEXEC) }
