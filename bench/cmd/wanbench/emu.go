package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/jetstream-go/jetstream/bench/driver"
	"github.com/jetstream-go/jetstream/bench/linkemu"
	"github.com/jetstream-go/jetstream/bench/netns"
	"github.com/jetstream-go/jetstream/bench/report"
)

// seriesInterval is the emulator's time-series sampling interval.
const seriesInterval = 250 * time.Millisecond

// emuNice is the niceness linkemu runs at (all its threads inherit it).
const emuNice = -10

// emuProc is one running linkemu process (one per tool run, so counters
// are attributable to that run).
type emuProc struct {
	cmd                 *exec.Cmd
	stats, series       string
	done                chan error
	linkA, linkB        netns.LinkStats
	pair                *netns.Pair
	stderr              bytes.Buffer
	stopped             bool
	result              report.Emulator
	startErr, finishErr error
}

// startEmu runs linkemu on the pair's TUN descriptors (passed as fds 3
// and 4) and waits until it has written its first stats file.
func (b *bench) startEmu(ctx context.Context, ab, ba linkemu.DirConfig, seed uint64, tag string) (*emuProc, error) {
	e := &emuProc{pair: b.pair, done: make(chan error, 1),
		stats: filepath.Join(b.work, "emu-"+tag+".json"), series: filepath.Join(b.work, "emu-"+tag+".ndjson")}
	_ = os.Remove(e.stats)
	e.linkA, _ = b.pair.A.LinkStats(ctx, b.pair.Cfg.Dev)
	e.linkB, _ = b.pair.B.LinkStats(ctx, b.pair.Cfg.Dev)
	args := []string{b.linkemu, "--a-fd", "3", "--b-fd", "4", "--a2b", ab.String(), "--b2a", ba.String(),
		"--seed", strconv.FormatUint(seed, 10), "--stats-file", e.stats, "--series-file", e.series,
		"--series-interval", seriesInterval.String()}
	if nice, err := exec.LookPath("nice"); err == nil {
		// The emulator is the network: on a shared machine it must not wait
		// for CPU behind the tools, or packets leave late (late_*_ms).
		args = append([]string{nice, "-n", strconv.Itoa(emuNice)}, args...)
	}
	e.cmd = exec.Command(args[0], args[1:]...)
	e.cmd.ExtraFiles = []*os.File{b.pair.TunA.File, b.pair.TunB.File}
	e.cmd.Stdout, e.cmd.Stderr = &e.stderr, &e.stderr
	e.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := e.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", b.linkemu, err)
	}
	go func() { e.done <- e.cmd.Wait() }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := os.Stat(e.stats); err == nil {
			return e, nil
		}
		select {
		case err := <-e.done:
			e.done <- err
			return nil, fmt.Errorf("linkemu exited at start (%v): %s", err, e.stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = e.cmd.Process.Kill()
			return nil, fmt.Errorf("linkemu not ready after 5s: %s", e.stderr.String())
		}
	}
}

// stop ends linkemu with SIGTERM (SIGKILL after 5 s) and collects its
// final counters, time series, CPU time and the TUN devices' drops.
func (e *emuProc) stop(ctx context.Context) (report.Emulator, error) {
	if e.stopped {
		return e.result, e.finishErr
	}
	e.stopped = true
	_ = e.cmd.Process.Signal(syscall.SIGTERM)
	var waitErr error
	select {
	case waitErr = <-e.done:
	case <-time.After(5 * time.Second):
		_ = e.cmd.Process.Kill()
		waitErr = errors.Join(errors.New("linkemu ignored SIGTERM for 5s"), <-e.done)
	}
	var r report.Emulator
	var errs []error
	if waitErr != nil {
		errs = append(errs, fmt.Errorf("linkemu: %w: %s", waitErr, e.stderr.String()))
	}
	if ru, ok := e.cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.CPU = driver.Usage{CPUSeconds: float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6, PeakRSSKiB: ru.Maxrss}
	}
	if b, err := os.ReadFile(e.stats); err != nil {
		errs = append(errs, err)
	} else if r.Stats, err = linkemu.ParseStats(b); err != nil {
		errs = append(errs, err)
	}
	r.Series = readSeries(e.series)
	if a, err := e.pair.A.LinkStats(ctx, e.pair.Cfg.Dev); err == nil {
		r.KernelDropsA = a.TxDropped - e.linkA.TxDropped
	}
	if b, err := e.pair.B.LinkStats(ctx, e.pair.Cfg.Dev); err == nil {
		r.KernelDropsB = b.TxDropped - e.linkB.TxDropped
	}
	e.result, e.finishErr = r, errors.Join(errs...)
	return r, e.finishErr
}

// readSeries turns linkemu's cumulative counter lines into per-interval
// A→B rate and the current queue delay.
func readSeries(path string) []report.EmuSample {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []report.EmuSample
	var prev linkemu.Stats
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var s linkemu.Stats
		if json.Unmarshal(sc.Bytes(), &s) != nil {
			continue
		}
		if dt := s.ElapsedS - prev.ElapsedS; dt > 0 && s.AtoB.ForwardedBytes >= prev.AtoB.ForwardedBytes {
			out = append(out, report.EmuSample{T: s.ElapsedS, MbitAB: float64(s.AtoB.ForwardedBytes-prev.AtoB.ForwardedBytes) * 8 / dt / 1e6, QueueMS: s.AtoB.QueueDelayNowMS})
		}
		prev = s
	}
	return out
}
