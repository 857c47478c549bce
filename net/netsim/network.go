package netsim

import (
	"errors"
	"net"
	"sync"
)

// ErrNetworkClosed is returned by Listen after Close.
var ErrNetworkClosed = errors.New("netsim: network closed")

// Network is an in-process packet network. Every endpoint gets its own
// fake UDP address in 127.1.0.0/16, which never leaves the process. Each
// direction between two endpoints is a separate link with its own
// LinkConfig, random source, bottleneck queue and counters.
type Network struct {
	mu        sync.Mutex
	def       LinkConfig
	conns     map[string]*conn
	links     map[linkKey]*link
	overrides map[linkKey]LinkConfig
	next      int
	closed    bool
}

type linkKey struct{ from, to string }

// New returns a network whose links default to cfg.
func New(cfg LinkConfig) *Network {
	return &Network{
		def:       cfg,
		conns:     make(map[string]*conn),
		links:     make(map[linkKey]*link),
		overrides: make(map[linkKey]LinkConfig),
	}
}

// Listen returns a new endpoint with a fresh address.
func (n *Network) Listen() (net.PacketConn, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return nil, ErrNetworkClosed
	}
	k := n.next
	n.next++
	if k >= 254*256 {
		return nil, errors.New("netsim: out of addresses")
	}
	addr := &net.UDPAddr{
		IP:   net.IPv4(127, 1, byte(k/254), byte(k%254+1)),
		Port: 10000 + k%50000,
	}
	c := newConn(n, addr)
	n.conns[c.key] = c
	return c, nil
}

// SetLink overrides the configuration of the direction from → to (it may
// be called before or while packets flow; packets in flight keep their
// schedule).
func (n *Network) SetLink(from, to net.Addr, cfg LinkConfig) {
	k := linkKey{from.String(), to.String()}
	n.mu.Lock()
	n.overrides[k] = cfg
	l := n.links[k]
	n.mu.Unlock()
	if l != nil {
		l.setConfig(cfg)
	}
}

// Stats returns the counters of the direction from → to (zero if nothing
// was ever sent that way).
func (n *Network) Stats(from, to net.Addr) Counters {
	n.mu.Lock()
	l := n.links[linkKey{from.String(), to.String()}]
	n.mu.Unlock()
	if l == nil {
		return Counters{}
	}
	return l.counters()
}

// Close closes every endpoint and drops every packet in flight.
func (n *Network) Close() error {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return nil
	}
	n.closed = true
	conns := make([]*conn, 0, len(n.conns))
	for _, c := range n.conns {
		conns = append(conns, c)
	}
	links := make([]*link, 0, len(n.links))
	for _, l := range n.links {
		links = append(links, l)
	}
	n.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
	for _, l := range links {
		l.stop()
	}
	return nil
}

// send routes a datagram onto the link from c to the address to.
func (n *Network) send(c *conn, data []byte, to string) {
	k := linkKey{c.key, to}
	n.mu.Lock()
	l := n.links[k]
	if l == nil {
		cfg, ok := n.overrides[k]
		if !ok {
			cfg = n.def
		}
		l = newLink(n, k.from, k.to, cfg)
		n.links[k] = l
		if n.closed {
			l.stopped = true
		}
	}
	n.mu.Unlock()
	l.send(data, c.addr)
}

// lookup finds the open endpoint at addr.
func (n *Network) lookup(addr string) *conn {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.conns[addr]
}

func (n *Network) remove(c *conn) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.conns[c.key] == c {
		delete(n.conns, c.key)
	}
}
