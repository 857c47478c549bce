package driver

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// prepare makes cmd die with us (SIGKILL on parent death), puts it in its
// own process group, and on context end sends SIGTERM to that group and,
// after grace, SIGKILL to the process.
func prepare(cmd *exec.Cmd, grace time.Duration) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error {
		if cmd.Process == nil {
			return nil
		}
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	}
	cmd.WaitDelay = grace
}

// usageOf returns the rusage accounted to a finished command.
func usageOf(cmd *exec.Cmd) Usage {
	if cmd.ProcessState == nil {
		return Usage{}
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return Usage{}
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return Usage{CPUSeconds: tv(ru.Utime) + tv(ru.Stime), PeakRSSKiB: ru.Maxrss}
}

// WaitListening polls /proc/<pid>/net/tcp (which shows the namespace of
// pid) until a socket listens on port, pid exits, or timeout passes.
func WaitListening(ctx context.Context, pid, port int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	want := fmt.Sprintf(":%04X", port)
	for {
		if listening(pid, want) {
			return nil
		}
		if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); err != nil {
			return fmt.Errorf("process %d exited before listening on port %d", pid, port)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("nothing listening on port %d after %v", port, timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func listening(pid int, portSuffix string) bool {
	f, err := os.Open(fmt.Sprintf("/proc/%d/net/tcp", pid))
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		// sl local_address rem_address st ...; st 0A = LISTEN
		if len(fields) > 3 && strings.HasSuffix(fields[1], portSuffix) && fields[3] == "0A" {
			return true
		}
	}
	return false
}

// TCPCounters are a namespace's TCP segment counters (from /proc/net/snmp).
type TCPCounters struct {
	OutSegs, RetransSegs uint64
}

// ReadTCPCounters reads the TCP counters of the namespace pid lives in
// ("thread-self" for the calling thread).
func ReadTCPCounters(pid string) (TCPCounters, error) {
	b, err := os.ReadFile("/proc/" + pid + "/net/snmp")
	if err != nil {
		return TCPCounters{}, err
	}
	return parseSNMP(string(b))
}

// parseSNMP extracts Tcp OutSegs and RetransSegs from /proc/net/snmp text.
func parseSNMP(s string) (TCPCounters, error) {
	var header []string
	for _, line := range strings.Split(s, "\n") {
		if !strings.HasPrefix(line, "Tcp:") {
			continue
		}
		fields := strings.Fields(line)[1:]
		if header == nil {
			header = fields
			continue
		}
		var c TCPCounters
		found := 0
		for i, name := range header {
			if i >= len(fields) {
				break
			}
			v, err := strconv.ParseUint(fields[i], 10, 64)
			switch name {
			case "OutSegs":
				c.OutSegs, found = v, found+1
			case "RetransSegs":
				c.RetransSegs, found = v, found+1
			default:
				continue
			}
			if err != nil {
				return TCPCounters{}, fmt.Errorf("snmp: Tcp %s: %w", name, err)
			}
		}
		if found != 2 {
			return TCPCounters{}, fmt.Errorf("snmp: Tcp OutSegs/RetransSegs missing")
		}
		return c, nil
	}
	return TCPCounters{}, fmt.Errorf("snmp: no Tcp lines")
}

// RetransPct is the retransmitted share of segments sent between two
// readings, in percent (-1 when nothing was sent).
func RetransPct(before, after TCPCounters) float64 {
	out := after.OutSegs - before.OutSegs
	if after.OutSegs < before.OutSegs || out == 0 {
		return -1
	}
	return float64(after.RetransSegs-before.RetransSegs) / float64(out) * 100
}
