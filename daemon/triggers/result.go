package triggers

import (
	"errors"
	"strconv"
	"time"
)

// Result describes one dequeued trigger: run, skipped, failed or discarded.
type Result struct {
	Call     Call
	Start    time.Time
	Duration time.Duration
	Ran      bool // the process started
	Skipped  bool // not run: not executable, not a regular file or gone
	TimedOut bool // killed by Config.Timeout
	// ExitCode is the exit status of a process that exited, else -1.
	ExitCode int
	// Err says why the trigger was skipped, could not start, exited
	// non-zero, was killed or was discarded; nil after exit status 0.
	Err error
}

var errDiscarded = errors.New("discarded: daemon stopping")

// Status is the outcome as the trigger log shows it: the exit status ("0",
// "3") of a process that exited, else the reason ("killed: timeout 5s",
// "signal: segmentation fault", "skipped: not executable ...").
func (res Result) Status() string {
	switch {
	case res.Ran && res.ExitCode >= 0:
		return strconv.Itoa(res.ExitCode)
	case res.Skipped && res.Err != nil:
		return "skipped: " + res.Err.Error()
	case res.Err != nil:
		return res.Err.Error()
	}
	return "0"
}
