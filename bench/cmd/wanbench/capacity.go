package main

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jetstream-go/jetstream/bench/driver"
	"github.com/jetstream-go/jetstream/bench/linkemu"
	"github.com/jetstream-go/jetstream/bench/report"
)

// capacity measures how much the emulator forwards with no limits: one
// iperf3 TCP flow (batched by TSO when offload is on), an iperf3 UDP flood
// of 1472-byte datagrams (1500-byte packets, one read and one write per
// packet: iperf3 3.12 has no GSO) and jetstream's GSO sender at 2 Gbit/s.
func (b *bench) capacity(ctx context.Context, seconds int) []report.Capacity {
	var out []report.Capacity
	if err := (driver.Iperf3{CC: "cubic"}).Check(ctx); err != nil {
		return []report.Capacity{{Name: "capacity", Note: err.Error()}}
	}
	dur := time.Duration(seconds) * time.Second

	// TCP.
	out = append(out, b.transferCapacity(ctx, "capacity-tcp", "TCP, 1 iperf3 cubic flow, no link limits",
		func() (driver.Result, error) {
			return (driver.Iperf3{CC: "cubic"}).Run(ctx, b.env, driver.Spec{Duration: dur})
		},
		func(driver.Result) string {
			return fmt.Sprintf("A→B packets are the %d-byte wire segments the model saw", b.pair.Cfg.MTU)
		}))

	// UDP flood.
	if emu, err := b.startEmu(ctx, linkemu.DirConfig{}, linkemu.DirConfig{}, 1, "capacity-udp"); err != nil {
		out = append(out, report.Capacity{Name: "UDP", Note: err.Error()})
	} else {
		note := b.udpFlood(ctx, seconds)
		st, emuErr := emu.stop(ctx)
		c := report.Capacity{Name: "UDP without GSO, iperf3 -u -b 0 -l 1472 (1500-byte packets)", Offload: false, Seconds: float64(seconds),
			EmuCPUPct: emuCPUPct(st), Drops: st.KernelDropsA + st.KernelDropsB + st.Stats.AtoB.DroppedOverflow, Note: note}
		if emuErr != nil {
			c.Note += fmt.Sprint(" ", emuErr)
		}
		c.Packets = st.Stats.AtoB.Forwarded
		c.PPS = float64(c.Packets) / float64(seconds)
		c.WireGbit = float64(st.Stats.AtoB.ForwardedBytes) * 8 / float64(seconds) / 1e9
		c.Goodput = c.WireGbit * 1472 / 1500
		if c.Note == "" {
			offered := c.Packets + c.Drops
			c.Note = fmt.Sprintf("one read + one write per datagram; the TUN device dropped %d of %d offered packets (%.1f%%) before the emulator read them; the iperf3 sender shares the cores",
				c.Drops, offered, float64(c.Drops)/float64(max(offered, 1))*100)
		}
		out = append(out, c)
	}
	// UDP with segmentation offload: jetstream's sender (UDP_SEGMENT) at a
	// fixed 2 Gbit/s; the emulator cuts each super-datagram into 1500-byte
	// packets for the model and merges them again on the way out.
	out = append(out, b.transferCapacity(ctx, "capacity-uso", "UDP GSO, jscp --policy fixed -l 2G (1500-byte packets)",
		func() (driver.Result, error) {
			return (driver.Jetstream{Policy: "fixed", Label: "capacity"}).Run(ctx, b.env, driver.Spec{Duration: dur, RateBps: 2e9})
		},
		func(res driver.Result) string {
			return fmt.Sprintf("a lower bound: jscp, the daemon and the emulator share the 2 cores; %.1f %% of blocks retransmitted", res.RetransPct)
		}))
	return out
}

// transferCapacity runs one transfer through an emulator with no link
// limits and reports what the emulator forwarded A→B per second of it.
func (b *bench) transferCapacity(ctx context.Context, tag, name string, run func() (driver.Result, error), note func(driver.Result) string) report.Capacity {
	emu, err := b.startEmu(ctx, linkemu.DirConfig{}, linkemu.DirConfig{}, 1, tag)
	if err != nil {
		return report.Capacity{Name: name, Note: err.Error()}
	}
	res, runErr := run()
	st, emuErr := emu.stop(ctx)
	c := report.Capacity{Name: name, Offload: b.pair.Cfg.Offload, Seconds: res.Seconds,
		EmuCPUPct: emuCPUPct(st), Drops: st.KernelDropsA + st.KernelDropsB + st.Stats.AtoB.DroppedOverflow}
	if runErr != nil || emuErr != nil || res.Seconds <= 0 {
		c.Note = fmt.Sprint(runErr, emuErr)
		return c
	}
	c.Packets = st.Stats.AtoB.Forwarded
	c.PPS = float64(c.Packets) / res.Seconds
	c.WireGbit = float64(st.Stats.AtoB.ForwardedBytes) * 8 / res.Seconds / 1e9
	c.Goodput = res.GoodputMbit / 1000
	c.Note = note(res)
	return c
}

// emuCPUPct is the emulator's CPU use over its run (100 = one core).
func emuCPUPct(st report.Emulator) float64 {
	if st.Stats.ElapsedS <= 0 {
		return 0
	}
	return st.CPU.CPUSeconds / st.Stats.ElapsedS * 100
}

// udpFlood runs an unpaced iperf3 UDP test from A to B and returns a note
// (sender-side limits, errors).
func (b *bench) udpFlood(ctx context.Context, seconds int) string {
	ctx, cancel := context.WithTimeout(ctx, time.Duration(seconds+20)*time.Second)
	defer cancel()
	port := 5299
	srv := b.pair.B.Command(ctx, "iperf3", "-s", "-1", "-B", b.env.AddrB.String(), "-p", strconv.Itoa(port))
	srv.Cancel = func() error { return srv.Process.Kill() }
	if err := srv.Start(); err != nil {
		return err.Error()
	}
	defer func() { _ = srv.Wait() }()
	if err := driver.WaitListening(ctx, srv.Process.Pid, port, 5*time.Second); err != nil {
		_ = srv.Process.Kill()
		return err.Error()
	}
	var errb bytes.Buffer
	cli := b.pair.A.Command(ctx, "iperf3", "-u", "-b", "0", "-l", "1472", "-t", strconv.Itoa(seconds), "-c", b.env.AddrB.String(), "-p", strconv.Itoa(port))
	cli.Stderr = &errb
	if err := cli.Run(); err != nil {
		_ = srv.Process.Kill()
		return fmt.Sprintf("iperf3 -u: %v %s", err, errb.String())
	}
	return ""
}
