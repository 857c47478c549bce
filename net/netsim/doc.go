// Package netsim is a test-only, in-process UDP network: endpoints are
// net.PacketConns on fake *net.UDPAddr addresses (127.1.x.y, never on the
// wire), and each direction between two endpoints is a link with one-way
// delay, jitter, random loss, reordering, duplication, an MTU and a
// rate-limited bottleneck with a drop-tail queue measured in time.
//
// It exists so engine tests can run long, lossy, slow paths in
// milliseconds: timing uses only time.Now and time.AfterFunc, and readers
// block on channels, so everything works inside a testing/synctest bubble
// (create the Network inside the bubble; the fake clock then jumps straight
// to each delivery) as well as in real time. Each link delivers through a
// single timer in delivery-time order, so packets stay in order unless
// jitter or Reorder says otherwise. Conns honour read and write deadlines
// and Close with the same errors as real sockets (os.ErrDeadlineExceeded,
// net.ErrClosed inside a *net.OpError), copy buffers in both directions,
// and drop arrivals when their RecvBuffer is full.
//
// A conn has no SyscallConn, so kcp-go uses its one-packet-per-call path
// over it; that is what tests want (the batch path needs a real socket).
package netsim
