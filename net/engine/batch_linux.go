package engine

import (
	"encoding/binary"
	"errors"
	"net"
	"os"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/net/ipv4"
)

// batchMsg is one message of a sendmmsg batch.
type batchMsg = ipv4.Message

const (
	batchSize   = 64
	udpSegment  = 103   // UDP_SEGMENT (Linux >= 4.18)
	udpGRO      = 104   // UDP_GRO (Linux >= 5.0)
	gsoMaxSegs  = 64    // UDP_MAX_SEGMENTS
	gsoMaxBytes = 65000 // one GSO super-datagram stays below the IP limit
)

// groBufSize holds the largest aggregate UDP GRO delivers: an IPv4 packet of
// at most 65535 bytes less its IP and UDP headers, plus the spare byte that
// detects truncation.
const groBufSize = 65535 - 20 - 8 + 1

// batchIO does recvmmsg/sendmmsg on a UDP socket through x/net/ipv4 and, when the
// kernel supports it, sends runs of equal-size datagrams as one UDP GSO message
// and receives runs of them as one UDP GRO aggregate (split again in readLoop),
// so a path of 1472-byte datagrams costs the kernel one socket delivery per run
// instead of one per datagram.
type batchIO struct {
	pc   *ipv4.PacketConn
	gso  atomic.Bool
	gro  bool
	rxts bool // the kernel stamps each datagram's arrival (SO_TIMESTAMPNS)
	logf func(string, ...any)
}

func newBatchIO(c *net.UDPConn, logf func(string, ...any)) *batchIO {
	b := &batchIO{pc: ipv4.NewPacketConn(c), logf: logf}
	if os.Getenv("JETSTREAM_NO_GSO") != "1" {
		if raw, err := c.SyscallConn(); err == nil {
			raw.Control(func(fd uintptr) {
				_, err := syscall.GetsockoptInt(int(fd), syscall.IPPROTO_UDP, udpSegment)
				b.gso.Store(err == nil)
			})
		}
	}
	if os.Getenv("JETSTREAM_NO_GRO") != "1" {
		if raw, err := c.SyscallConn(); err == nil {
			raw.Control(func(fd uintptr) {
				b.gro = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_UDP, udpGRO, 1) == nil
			})
		}
	}
	if raw, err := c.SyscallConn(); err == nil && os.Getenv("JETSTREAM_NO_RXTS") != "1" {
		raw.Control(func(fd uintptr) {
			b.rxts = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_TIMESTAMPNS, 1) == nil
		})
	}
	return b
}

// eachCmsg calls fn with the level, type and data of each well-formed
// control message in oob, stopping at the first malformed one.
func eachCmsg(oob []byte, fn func(level, typ int32, data []byte)) {
	for len(oob) >= syscall.CmsgLen(0) {
		h := (*syscall.Cmsghdr)(unsafe.Pointer(&oob[0]))
		l := int(h.Len)
		if l < syscall.CmsgLen(0) || l > len(oob) {
			return
		}
		fn(h.Level, h.Type, oob[syscall.CmsgLen(0):l])
		oob = oob[min(len(oob), syscall.CmsgSpace(l-syscall.CmsgLen(0))):]
	}
}

// groSegment returns the segment size of a UDP GRO aggregate from a
// message's control data, or 0 when the message is one datagram.
func groSegment(oob []byte) (seg int) {
	eachCmsg(oob, func(level, typ int32, data []byte) {
		if level == syscall.IPPROTO_UDP && typ == udpGRO && len(data) >= 4 && seg == 0 {
			seg = int(binary.NativeEndian.Uint32(data))
		}
	})
	return seg
}

// maxRxAge bounds how long before the read a kernel arrival stamp may lie;
// an older one (or one in the future) means the wall clock was stepped, and
// the read time stands instead.
const maxRxAge = time.Second

// rxTime returns when a message arrived: the kernel's SO_TIMESTAMPNS stamp
// in oob, carried onto the monotonic clock of now (the end of the read), or
// now when there is none. Arrival, not the read, is what the delay and
// delivery measurements want: a reader that a busy host left unscheduled
// for 50 ms would otherwise show the path a 50 ms queue.
func rxTime(oob []byte, now time.Time) time.Time {
	at := now
	eachCmsg(oob, func(level, typ int32, data []byte) {
		if level != syscall.SOL_SOCKET || typ != syscall.SO_TIMESTAMPNS || len(data) < 16 {
			return
		}
		sec := int64(binary.NativeEndian.Uint64(data))
		nsec := int64(binary.NativeEndian.Uint64(data[8:]))
		if age := now.Sub(time.Unix(sec, nsec)); age >= 0 && age <= maxRxAge {
			at = now.Add(-age)
		}
	})
	return at
}

// gsoControl is the UDP_SEGMENT control message for segments of size seg.
func gsoControl(seg int) []byte {
	b := make([]byte, syscall.CmsgSpace(2))
	h := (*syscall.Cmsghdr)(unsafe.Pointer(&b[0]))
	h.Level, h.Type = syscall.IPPROTO_UDP, udpSegment
	h.SetLen(syscall.CmsgLen(2))
	binary.NativeEndian.PutUint16(b[syscall.CmsgLen(0):], uint16(seg))
	return b
}

func (b *batchIO) write(pkts [][]byte, addr *net.UDPAddr, scratch *[]batchMsg) error {
	msgs := (*scratch)[:0]
	gso := b.gso.Load()
	for i := 0; i < len(pkts); {
		j, total := i+1, len(pkts[i])
		if gso {
			seg := len(pkts[i])
			for j < len(pkts) && j-i < gsoMaxSegs && total+len(pkts[j]) <= gsoMaxBytes && len(pkts[j]) <= seg {
				total += len(pkts[j])
				j++
				if len(pkts[j-1]) < seg { // a shorter datagram ends a GSO run
					break
				}
			}
		}
		m := batchMsg{Buffers: pkts[i:j:j], Addr: addr}
		if j-i > 1 {
			m.OOB = gsoControl(len(pkts[i]))
		}
		msgs = append(msgs, m)
		i = j
	}
	*scratch = msgs
	var err error
	for sent, tries := 0, 0; sent < len(msgs) && tries < len(msgs)+4; tries++ {
		n, werr := b.pc.WriteBatch(msgs[sent:], 0)
		if werr != nil {
			err = werr
			if gso && b.gso.CompareAndSwap(true, false) {
				b.logf("engine: UDP GSO failed (%v); sending without it", werr)
			}
			if n <= 0 {
				n = 1 // skip the failing message; the protocol recovers from loss
			}
		}
		sent += n
	}
	return err
}

func (b *batchIO) readLoop(e *Endpoint) {
	msgs := make([]ipv4.Message, batchSize)
	bufs := make([]*[]byte, batchSize)
	for i := range msgs {
		bufs[i] = e.getBuf()
		msgs[i].Buffers = [][]byte{*bufs[i]}
		msgs[i].OOB = make([]byte, syscall.CmsgSpace(4)+syscall.CmsgSpace(16)) // GRO segment, arrival time
	}
	defer func() {
		for _, bp := range bufs {
			e.putBuf(bp)
		}
	}()
	for {
		n, err := b.pc.ReadBatch(msgs, 0)
		if err != nil {
			if e.isClosed() || errors.Is(err, net.ErrClosed) {
				return
			}
			e.cfg.Logf("engine: read batch: %v", err)
			select {
			case <-e.done:
				return
			case <-time.After(10 * time.Millisecond):
			}
			continue
		}
		now := time.Now()
		for i := 0; i < n; i++ {
			m := &msgs[i]
			oob := m.OOB[:m.NN]
			at := now
			if b.rxts {
				at = rxTime(oob, now)
			}
			if seg := groSegment(oob); seg > 0 && seg < m.N {
				// An aggregate: each datagram moves to a buffer of its size,
				// the large one stays for the next read.
				for off := 0; off < m.N; off += seg {
					dn := min(seg, m.N-off)
					dp := e.getBufN(dn + 1)
					copy(*dp, (*bufs[i])[off:off+dn])
					e.handle(dp, dn, m.Addr, at)
				}
				continue
			}
			e.handle(bufs[i], m.N, m.Addr, at)
			bufs[i] = e.getBuf()
			m.Buffers[0] = *bufs[i]
		}
	}
}
