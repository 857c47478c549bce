package netsim

import (
	"errors"
	"net"
	"os"
	"sync"
	"time"
)

// conn is one endpoint: a net.PacketConn on a fake UDP address.
type conn struct {
	n    *Network
	addr *net.UDPAddr
	key  string

	in        chan packet
	done      chan struct{}
	closeOnce sync.Once
	rd, wd    *deadline
}

var _ net.PacketConn = (*conn)(nil)

var errMissingAddress = errors.New("missing address")

func newConn(n *Network, addr *net.UDPAddr) *conn {
	return &conn{
		n:    n,
		addr: addr,
		key:  addr.String(),
		in:   make(chan packet, RecvBuffer),
		done: make(chan struct{}),
		rd:   newDeadline(),
		wd:   newDeadline(),
	}
}

func (c *conn) opError(op string, addr net.Addr, err error) error {
	return &net.OpError{Op: op, Net: "udp", Source: c.addr, Addr: addr, Err: err}
}

// ReadFrom blocks until a datagram arrives, the read deadline passes
// (os.ErrDeadlineExceeded) or the conn is closed (net.ErrClosed). A
// datagram longer than p is truncated, as with UDP.
func (c *conn) ReadFrom(p []byte) (int, net.Addr, error) {
	if isClosed(c.done) {
		return 0, nil, c.opError("read", nil, net.ErrClosed)
	}
	dl := c.rd.wait()
	if isClosed(dl) {
		return 0, nil, c.opError("read", nil, os.ErrDeadlineExceeded)
	}
	select {
	case pk := <-c.in:
		return copy(p, pk.data), cloneAddr(pk.from), nil
	case <-c.done:
		return 0, nil, c.opError("read", nil, net.ErrClosed)
	case <-dl:
		return 0, nil, c.opError("read", nil, os.ErrDeadlineExceeded)
	}
}

// WriteTo sends a copy of p to addr through the simulated link. Like UDP it
// never blocks and succeeds even if the datagram is then lost.
func (c *conn) WriteTo(p []byte, addr net.Addr) (int, error) {
	if isClosed(c.done) {
		return 0, c.opError("write", addr, net.ErrClosed)
	}
	if isClosed(c.wd.wait()) {
		return 0, c.opError("write", addr, os.ErrDeadlineExceeded)
	}
	if addr == nil {
		return 0, c.opError("write", nil, errMissingAddress)
	}
	c.n.send(c, append([]byte(nil), p...), addr.String())
	return len(p), nil
}

// deliver queues an arriving datagram; false if the buffer is full or the
// conn is closed.
func (c *conn) deliver(pk packet) bool {
	if isClosed(c.done) {
		return false
	}
	select {
	case c.in <- pk:
		return true
	default:
		return false
	}
}

// Close closes the endpoint: blocked reads return net.ErrClosed and packets
// sent to its address are dropped from now on.
func (c *conn) Close() error {
	err := c.opError("close", nil, net.ErrClosed)
	c.closeOnce.Do(func() {
		err = nil
		close(c.done)
		c.rd.stop()
		c.wd.stop()
		c.n.remove(c)
	})
	return err
}

// LocalAddr returns the endpoint's *net.UDPAddr.
func (c *conn) LocalAddr() net.Addr { return cloneAddr(c.addr) }

func cloneAddr(a *net.UDPAddr) *net.UDPAddr {
	return &net.UDPAddr{IP: append(net.IP(nil), a.IP...), Port: a.Port, Zone: a.Zone}
}

// SetDeadline sets both the read and the write deadline.
func (c *conn) SetDeadline(t time.Time) error {
	if err := c.SetReadDeadline(t); err != nil {
		return err
	}
	return c.SetWriteDeadline(t)
}

// SetReadDeadline sets the deadline for ReadFrom, including a blocked one.
func (c *conn) SetReadDeadline(t time.Time) error {
	if isClosed(c.done) {
		return c.opError("set", nil, net.ErrClosed)
	}
	c.rd.set(t)
	return nil
}

// SetWriteDeadline sets the deadline for WriteTo.
func (c *conn) SetWriteDeadline(t time.Time) error {
	if isClosed(c.done) {
		return c.opError("set", nil, net.ErrClosed)
	}
	c.wd.set(t)
	return nil
}
