package linkemu

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// Endpoint is one side of the emulated link: packets read from it travel
// to the other side, packets for it are written to it.
type Endpoint interface {
	io.Reader
	io.Writer
}

// Config configures an Emulator.
type Config struct {
	AtoB, BtoA  DirConfig
	Seed        uint64 // seeds both directions (B→A uses Seed+1)
	BufSize     int    // 0 means DefaultBufSize
	MaxInFlight int    // per direction; 0 means DefaultMaxInFlight
	// VnetHdr: both endpoints carry virtio-net headers (TUNs opened with
	// offload); see Forwarder.VnetHdr.
	VnetHdr bool
}

// Emulator forwards packets between two endpoints in both directions.
type Emulator struct {
	ab, ba  *Forwarder
	cfg     Config
	mu      sync.Mutex
	started time.Time
}

// New returns an Emulator between a and b. It validates cfg.
func New(a, b Endpoint, cfg Config) (*Emulator, error) {
	if a == nil || b == nil {
		return nil, errors.New("linkemu: both endpoints are required")
	}
	lab, err := NewLink(cfg.AtoB, cfg.Seed)
	if err != nil {
		return nil, fmt.Errorf("a→b: %w", err)
	}
	lba, err := NewLink(cfg.BtoA, cfg.Seed+1)
	if err != nil {
		return nil, fmt.Errorf("b→a: %w", err)
	}
	mk := func(in io.Reader, out io.Writer, l *Link) *Forwarder {
		return &Forwarder{In: in, Out: out, Link: l, BufSize: cfg.BufSize, MaxInFlight: cfg.MaxInFlight, VnetHdr: cfg.VnetHdr}
	}
	return &Emulator{ab: mk(a, b, lab), ba: mk(b, a, lba), cfg: cfg}, nil
}

// Run forwards in both directions until ctx is done or an endpoint fails
// for good; it returns the first failure, or nil after ctx ends.
func (e *Emulator) Run(ctx context.Context) error {
	e.mu.Lock()
	e.started = time.Now()
	e.mu.Unlock()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, f := range []*Forwarder{e.ab, e.ba} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f.Run(ctx); err != nil {
				errs[i] = err
				cancel()
			}
		}()
	}
	wg.Wait()
	if errs[0] != nil {
		errs[0] = fmt.Errorf("a→b: %w", errs[0])
	}
	if errs[1] != nil {
		errs[1] = fmt.Errorf("b→a: %w", errs[1])
	}
	return errors.Join(errs...)
}

// Snapshot returns both directions' counters and the elapsed run time.
func (e *Emulator) Snapshot() Stats {
	e.mu.Lock()
	started := e.started
	e.mu.Unlock()
	var elapsed float64
	if !started.IsZero() {
		elapsed = time.Since(started).Seconds()
	}
	return Stats{
		ElapsedS: elapsed,
		AtoB:     e.ab.Counters.Snapshot(),
		BtoA:     e.ba.Counters.Snapshot(),
		ConfigAB: e.cfg.AtoB.String(),
		ConfigBA: e.cfg.BtoA.String(),
	}
}
