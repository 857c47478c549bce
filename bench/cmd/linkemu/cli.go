package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/jetstream-go/jetstream/bench/linkemu"
	"github.com/jetstream-go/jetstream/bench/netns"
)

// CLI is linkemu's command line.
type CLI struct {
	AFD    int    `name:"a-fd" help:"Inherited file descriptor of TUN device A (-1: use --a-dev)." default:"-1"`
	BFD    int    `name:"b-fd" help:"Inherited file descriptor of TUN device B (-1: use --b-dev)." default:"-1"`
	ADev   string `name:"a-dev" help:"Name of TUN device A to create or attach to."`
	BDev   string `name:"b-dev" help:"Name of TUN device B to create or attach to."`
	ANetns string `name:"a-netns" help:"Network namespace (ip netns name) in which --a-dev lives."`
	BNetns string `name:"b-netns" help:"Network namespace (ip netns name) in which --b-dev lives."`

	Link string `help:"Spec applied to both directions unless --a2b/--b2a is given, e.g. 'delay=25ms,rate=500Mbit,queue=50ms,loss=1%'."`
	A2B  string `name:"a2b" help:"Spec for packets from A to B (overrides --link)."`
	B2A  string `name:"b2a" help:"Spec for packets from B to A (overrides --link)."`
	Seed uint64 `help:"Seed for loss and jitter (B→A uses seed+1)." default:"1"`

	Offload bool `help:"Create --a-dev/--b-dev with virtio-net headers and TCP segmentation offload (inherited fds are detected)." default:"true" negatable:""`

	MaxInFlight int `name:"max-in-flight" help:"Packets held per direction before dropping (dropped_overflow)." default:"65536"`

	StatsFile      string        `name:"stats-file" help:"Write the counters (JSON) here at start, on SIGUSR1 and at exit."`
	SeriesFile     string        `name:"series-file" help:"Append one JSON line of counters every --series-interval."`
	SeriesInterval time.Duration `name:"series-interval" help:"Interval of --series-file lines." default:"500ms"`
	Duration       time.Duration `help:"Stop after this long (0: run until SIGINT/SIGTERM)." default:"0"`
}

// config builds the emulator configuration from the flags.
func (c *CLI) config() (linkemu.Config, error) {
	ab, ba := c.Link, c.Link
	if c.A2B != "" {
		ab = c.A2B
	}
	if c.B2A != "" {
		ba = c.B2A
	}
	var cfg linkemu.Config
	var err error
	if cfg.AtoB, err = linkemu.ParseDirConfig(ab); err != nil {
		return cfg, fmt.Errorf("a→b: %w", err)
	}
	if cfg.BtoA, err = linkemu.ParseDirConfig(ba); err != nil {
		return cfg, fmt.Errorf("b→a: %w", err)
	}
	if c.MaxInFlight < 1 {
		return cfg, fmt.Errorf("--max-in-flight %d must be at least 1", c.MaxInFlight)
	}
	if c.SeriesFile != "" && c.SeriesInterval < 10*time.Millisecond {
		return cfg, fmt.Errorf("--series-interval %v is below 10ms", c.SeriesInterval)
	}
	if c.Duration < 0 {
		return cfg, fmt.Errorf("--duration %v is negative", c.Duration)
	}
	cfg.Seed, cfg.MaxInFlight = c.Seed, c.MaxInFlight
	return cfg, nil
}

// openSide returns the TUN device for one side.
func openSide(side string, fd int, dev, ns string, offload bool) (*linkemu.TUN, error) {
	switch {
	case fd >= 0 && dev != "":
		return nil, fmt.Errorf("side %s: give --%s-fd or --%s-dev, not both", side, side, side)
	case fd >= 0:
		return linkemu.TUNFromFD(fd)
	case dev == "":
		return nil, fmt.Errorf("side %s: --%s-fd or --%s-dev is required", side, side, side)
	case ns == "":
		return linkemu.OpenTUN(dev, offload)
	}
	var t *linkemu.TUN
	err := (&netns.Namespace{Name: ns}).Do(func() (err error) {
		t, err = linkemu.OpenTUN(dev, offload)
		return err
	})
	return t, err
}

// Run runs the emulator until ctx ends (or --duration passes).
func (c *CLI) Run(ctx context.Context, stdout io.Writer) error {
	cfg, err := c.config()
	if err != nil {
		return err
	}
	a, err := openSide("a", c.AFD, c.ADev, c.ANetns, c.Offload)
	if err != nil {
		return err
	}
	defer a.Close()
	b, err := openSide("b", c.BFD, c.BDev, c.BNetns, c.Offload)
	if err != nil {
		return err
	}
	defer b.Close()
	if a.VnetHdr != b.VnetHdr {
		return fmt.Errorf("TUN %s and %s disagree on virtio-net headers (offload)", a.Name, b.Name)
	}
	cfg.VnetHdr = a.VnetHdr
	e, err := linkemu.New(a, b, cfg)
	if err != nil {
		return err
	}
	if c.Duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Duration)
		defer cancel()
	}
	report := func(print bool) error {
		s := e.Snapshot()
		js, err := s.MarshalIndent()
		if err != nil {
			return err
		}
		if print {
			if _, err := stdout.Write(js); err != nil {
				return err
			}
		}
		if c.StatsFile != "" {
			return writeAtomic(c.StatsFile, js)
		}
		return nil
	}

	usr1 := make(chan os.Signal, 1)
	signal.Notify(usr1, syscall.SIGUSR1) // before the readiness marker
	defer signal.Stop(usr1)
	runErr := make(chan error, 1)
	go func() { runErr <- e.Run(ctx) }()
	if err := report(false); err != nil { // readiness marker
		return err
	}
	var series *seriesWriter
	var tick <-chan time.Time
	if c.SeriesFile != "" {
		if series, err = newSeriesWriter(c.SeriesFile); err != nil {
			return err
		}
		defer series.Close()
		t := time.NewTicker(c.SeriesInterval)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-usr1:
			if err := report(true); err != nil {
				return err
			}
		case <-tick:
			if err := series.Write(e.Snapshot()); err != nil {
				return err
			}
		case err := <-runErr:
			if series != nil {
				err = errors.Join(err, series.Write(e.Snapshot()))
			}
			return errors.Join(err, report(true))
		}
	}
}

func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".linkemu-stats-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
