package engine

import (
	"errors"
	"net"
	"time"

	"golang.org/x/net/ipv4"
)

// batchMsg is one message of a sendmmsg batch.
type batchMsg = ipv4.Message

const batchSize = 64

// batchIO does recvmmsg/sendmmsg on a UDP socket through x/net/ipv4.
type batchIO struct {
	pc *ipv4.PacketConn
}

func newBatchIO(c *net.UDPConn) *batchIO { return &batchIO{pc: ipv4.NewPacketConn(c)} }

func (b *batchIO) write(pkts [][]byte, addr *net.UDPAddr, scratch *[]batchMsg) error {
	msgs := (*scratch)[:0]
	for _, p := range pkts {
		msgs = append(msgs, batchMsg{Buffers: [][]byte{p}, Addr: addr})
	}
	*scratch = msgs
	var err error
	for sent, tries := 0, 0; sent < len(msgs) && tries < len(msgs)+4; tries++ {
		n, werr := b.pc.WriteBatch(msgs[sent:], 0)
		if werr != nil {
			err = werr
			if n <= 0 {
				n = 1 // skip the failing datagram; the protocol recovers from loss
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
