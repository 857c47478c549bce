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
	gsoMaxSegs  = 64    // UDP_MAX_SEGMENTS
	gsoMaxBytes = 65000 // one GSO super-datagram stays below the IP limit
)

// batchIO does recvmmsg/sendmmsg on a UDP socket through x/net/ipv4 and, when the
// kernel supports it, sends runs of equal-size datagrams as one UDP GSO message.
type batchIO struct {
	pc   *ipv4.PacketConn
	gso  atomic.Bool
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
	return b
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
			bp := bufs[i]
			e.handle(bp, msgs[i].N, msgs[i].Addr, now)
			bufs[i] = e.getBuf()
			msgs[i].Buffers[0] = *bufs[i]
		}
	}
}
