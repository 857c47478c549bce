package driver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
)

// iperfBasePort is the first server port inside namespace B (flow i uses
// base+i); the namespace is private, so fixed ports cannot collide.
const iperfBasePort = 5201

// Iperf3 runs an iperf3 TCP test with one congestion control algorithm.
type Iperf3 struct {
	CC string // "cubic", "bbr", ...
}

// Name is "iperf3-<cc>".
func (d Iperf3) Name() string { return "iperf3-" + d.CC }

// Check needs iperf3 on PATH and the algorithm in the kernel.
func (d Iperf3) Check(ctx context.Context) error {
	if !have(ReqIperf3.Binary) {
		return NotAvailable("iperf3 not installed")
	}
	if ok, avail := ccAvailable(d.CC); !ok {
		// Try to load it; a failure leaves the message below.
		_ = exec.CommandContext(ctx, "modprobe", "tcp_"+d.CC).Run()
		if ok, avail = ccAvailable(d.CC); !ok {
			return NotAvailable("TCP congestion control %q not in the kernel (available: %s)", d.CC, avail)
		}
	}
	return nil
}

// Run runs `iperf3 -s -1` in B and `iperf3 -c -C <cc> -J` in A.
func (d Iperf3) Run(ctx context.Context, env *Env, s Spec) (Result, error) {
	res := Result{Tool: d.Name(), RetransPct: -1}
	port := iperfBasePort + s.Flow
	secs := max(1, int(s.Duration.Round(time.Second)/time.Second))
	ctx, cancel := context.WithTimeout(ctx, s.Duration+30*time.Second)
	defer cancel()

	srv := env.B.Command(ctx, "iperf3", "-s", "-1", "-B", env.AddrB.String(), "-p", strconv.Itoa(port))
	var srvOut bytes.Buffer
	srv.Stdout, srv.Stderr = &srvOut, &srvOut
	prepare(srv, 3*time.Second)
	if err := srv.Start(); err != nil {
		return res, fmt.Errorf("start iperf3 server: %w", err)
	}
	srvDone := make(chan error, 1)
	go func() { srvDone <- srv.Wait() }()
	stopServer := func() {
		select {
		case <-srvDone:
		case <-time.After(5 * time.Second):
			_ = srv.Cancel()
			<-srvDone
		}
	}
	if err := WaitListening(ctx, srv.Process.Pid, port, 5*time.Second); err != nil {
		_ = srv.Cancel()
		<-srvDone
		return res, fmt.Errorf("iperf3 server: %w: %s", err, strings.TrimSpace(srvOut.String()))
	}

	cli := env.A.Command(ctx, "iperf3", "-c", env.AddrB.String(), "-p", strconv.Itoa(port),
		"-t", strconv.Itoa(secs), "-i", "0.5", "-C", d.CC, "-J", "--connect-timeout", "5000")
	var out, errOut bytes.Buffer
	cli.Stdout, cli.Stderr = &out, &errOut
	prepare(cli, 3*time.Second)
	runErr := cli.Run()
	stopServer()
	res.Sender, res.Receiver = usageOf(cli), usageOf(srv)
	sum, perr := parseIperf(out.Bytes())
	if perr != nil {
		if strings.Contains(perr.Error(), "congestion") {
			return res, NotAvailable("%v", perr)
		}
		return res, errors.Join(perr, wrapRunErr("iperf3 client", runErr, errOut.String()))
	}
	if sum.Congestion != "" && sum.Congestion != d.CC {
		return res, NotAvailable("iperf3 ran with %q instead of %q", sum.Congestion, d.CC)
	}
	res.Bytes, res.Seconds, res.RetransPct, res.Series = sum.Bytes, sum.Seconds, sum.RetransPct, sum.Series
	res.GoodputMbit = goodput(res.Bytes, res.Seconds)
	return res, nil
}

// ccAvailable reports whether the kernel offers congestion control cc (an
// unreadable list counts as available: iperf3 will say if it is not).
func ccAvailable(cc string) (bool, string) {
	avail, err := readFileString("/proc/sys/net/ipv4/tcp_available_congestion_control")
	if err != nil {
		return true, ""
	}
	return slices.Contains(strings.Fields(avail), cc), strings.TrimSpace(avail)
}

func wrapRunErr(what string, err error, stderr string) error {
	if err == nil {
		return nil
	}
	if s := strings.TrimSpace(stderr); s != "" {
		return fmt.Errorf("%s: %w: %s", what, err, s)
	}
	return fmt.Errorf("%s: %w", what, err)
}
