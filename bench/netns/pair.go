package netns

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strconv"

	"github.com/jetstream-go/jetstream/bench/linkemu"
)

// PairConfig describes two namespaces joined by a TUN device in each.
type PairConfig struct {
	// Suffix makes the names unique per run: namespaces are "jsbA-<Suffix>"
	// and "jsbB-<Suffix>". Use the PID so parallel runs do not collide.
	Suffix string
	// Dev is the TUN device name inside both namespaces (default "jsb0").
	Dev string
	// AddrA and AddrB are the two ends of a private point-to-point subnet
	// that exists only inside the namespaces (default 10.201.0.1/30 and
	// 10.201.0.2/30).
	AddrA, AddrB netip.Prefix
	// MTU of both TUN devices (default 1500).
	MTU int
	// TCPMaxBuf, when > 0, raises the per-namespace TCP autotuning maxima
	// (net.ipv4.tcp_rmem/tcp_wmem) to this many bytes, so TCP is not window
	// limited at the benchmark's bandwidth-delay products.
	TCPMaxBuf int
	// Offload opens the TUN devices with virtio-net headers and TCP
	// segmentation offload (see linkemu.OpenTUN); the emulator must then
	// run with linkemu.Config.VnetHdr.
	Offload bool
}

func (c *PairConfig) setDefaults() {
	if c.Dev == "" {
		c.Dev = "jsb0"
	}
	if !c.AddrA.IsValid() {
		c.AddrA = netip.MustParsePrefix("10.201.0.1/30")
	}
	if !c.AddrB.IsValid() {
		c.AddrB = netip.MustParsePrefix("10.201.0.2/30")
	}
	if c.MTU == 0 {
		c.MTU = 1500
	}
}

// Pair is two network namespaces, A and B, each holding one TUN device
// with one address of a shared /30. The TUN devices were created inside
// their namespaces (by a thread that joined it), so they never appear in
// the root namespace; this process holds their file descriptors (TunA,
// TunB) and passes them to the link emulator, which forwards between them.
// Nothing routes between the namespaces except the emulator.
type Pair struct {
	A, B       *Namespace
	TunA, TunB *linkemu.TUN
	Cfg        PairConfig
}

// NamesFor returns the namespace names a Pair with this suffix uses.
func NamesFor(suffix string) (a, b string) { return "jsbA-" + suffix, "jsbB-" + suffix }

// NewPair creates the namespaces and devices. On error everything created
// so far is removed.
func NewPair(ctx context.Context, cfg PairConfig) (_ *Pair, err error) {
	cfg.setDefaults()
	if cfg.AddrA.Addr() == cfg.AddrB.Addr() || cfg.AddrA.Masked() != cfg.AddrB.Masked() {
		return nil, fmt.Errorf("addresses %v and %v must differ and share a subnet", cfg.AddrA, cfg.AddrB)
	}
	if cfg.MTU < 576 || cfg.MTU > linkemu.DefaultBufSize-64 {
		return nil, fmt.Errorf("mtu %d out of range [576, %d]", cfg.MTU, linkemu.DefaultBufSize-64)
	}
	nameA, nameB := NamesFor(cfg.Suffix)
	p := &Pair{Cfg: cfg}
	defer func() {
		if err != nil {
			err = errors.Join(err, p.Close(context.WithoutCancel(ctx)))
		}
	}()
	if p.A, err = Create(ctx, nameA); err != nil {
		return nil, err
	}
	if p.B, err = Create(ctx, nameB); err != nil {
		return nil, err
	}
	if p.TunA, err = p.A.setupEnd(ctx, cfg, cfg.AddrA); err != nil {
		return nil, err
	}
	if p.TunB, err = p.B.setupEnd(ctx, cfg, cfg.AddrB); err != nil {
		return nil, err
	}
	return p, nil
}

func (n *Namespace) setupEnd(ctx context.Context, cfg PairConfig, addr netip.Prefix) (*linkemu.TUN, error) {
	// No IPv6 inside: keeps router solicitations and DAD out of the counters.
	for _, k := range []string{"net.ipv6.conf.all.disable_ipv6", "net.ipv6.conf.default.disable_ipv6"} {
		if err := n.Sysctl(k, "1"); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	if cfg.TCPMaxBuf > 0 {
		m := strconv.Itoa(cfg.TCPMaxBuf)
		if err := n.Sysctl("net.ipv4.tcp_rmem", "4096 131072 "+m); err != nil {
			return nil, err
		}
		if err := n.Sysctl("net.ipv4.tcp_wmem", "4096 16384 "+m); err != nil {
			return nil, err
		}
	}
	var tun *linkemu.TUN
	if err := n.Do(func() error {
		var err error
		tun, err = linkemu.OpenTUN(cfg.Dev, cfg.Offload)
		return err
	}); err != nil {
		return nil, fmt.Errorf("%s: %w", n.Name, err)
	}
	steps := [][]string{
		{"link", "set", "dev", cfg.Dev, "mtu", strconv.Itoa(cfg.MTU), "txqueuelen", "1000"},
		{"addr", "add", addr.String(), "dev", cfg.Dev},
		{"link", "set", "dev", cfg.Dev, "up"},
	}
	for _, s := range steps {
		if err := n.IP(ctx, s...); err != nil {
			tun.Close()
			return nil, err
		}
	}
	return tun, nil
}

// Close closes the TUN descriptors (removing the devices once no other
// process holds them) and deletes both namespaces. It is safe to call on a
// partly built Pair and more than once.
func (p *Pair) Close(ctx context.Context) error {
	var errs []error
	for _, f := range []**linkemu.TUN{&p.TunA, &p.TunB} {
		if *f != nil {
			errs = append(errs, (*f).Close())
			*f = nil
		}
	}
	for _, ns := range []**Namespace{&p.A, &p.B} {
		if *ns != nil {
			errs = append(errs, (*ns).Delete(ctx))
			*ns = nil
		}
	}
	return errors.Join(errs...)
}
