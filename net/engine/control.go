package engine

import (
	"errors"
	"time"

	"github.com/jetstream-go/jetstream/net/wire"
	"github.com/xtaci/kcp-go/v5"
)

// control is the reliable, ordered message channel of a session: kcp-go's KCP ARQ
// (nodelay profile, no congestion window: the data pacer owns the rate) carrying a
// byte stream of framed wire.Msg values. KCP segments travel in sealed Control
// datagrams.
//
// Messages sent in one turn of the session are coalesced before KCP sees them:
// KCP (message mode, the only one its API offers) gives every Send its own
// segments, so 10,000 small files' metadata, results and digests were ~30,000
// segments of ~60 bytes, and the 1,024-segment window let ~10,000 through per
// round trip: the sender ran out of listed files and went idle (files-10k on the
// WAN bench). Coalesced, they fill 1,400-byte segments.
type control struct {
	s        *Session
	kcp      *kcp.KCP
	inBuf    []byte // reassembly of the message stream
	recvBuf  []byte
	outBuf   []byte // messages not yet handed to KCP
	mss      int    // KCP segment payload
	lastSend time.Duration
	// KCP keeps its own millisecond clock: clock0 on it is at0 on the
	// session's, for waking when KCP's Check says it has work.
	clock0 uint32
	at0    time.Duration
}

const (
	kcpInterval  = 10 // ms
	kcpWindow    = 1024
	kcpChunk     = 32 << 10 // bytes per KCP message (KCP limits fragments to 255)
	pingInterval = time.Second
	maxCtlBuffer = wire.MaxMsgLen + 64
)

func newControl(s *Session) *control {
	c := &control{s: s, recvBuf: make([]byte, kcpChunk+4096)}
	c.kcp = kcp.NewKCP(s.conv, c.output)
	c.kcp.NoDelay(1, kcpInterval, 2, 1)
	c.kcp.WndSize(kcpWindow, kcpWindow)
	mtu := min(1400, s.payloadRoom())
	c.kcp.SetMtu(mtu)
	c.mss = max(mtu-kcp.IKCP_OVERHEAD, 1)
	c.clock0, c.at0 = c.kcp.Check(), s.now() // before the first Update, Check is KCP's now
	return c
}

// output is KCP's output callback: wrap a segment batch in a Control datagram.
func (c *control) output(buf []byte, size int) {
	if size <= 0 {
		return
	}
	bp, pkt := c.s.packet(wire.TypeControl)
	pkt = append(pkt, buf[:size]...)
	c.s.send(bp, pkt)
}

// send queues m on the control stream. It goes to KCP with the next tick
// (together with whatever else this turn sends), or at once when a full
// chunk is waiting.
func (c *control) send(m wire.Msg) {
	quiet := c.waitSnd() == 0
	c.outBuf = wire.AppendMsg(c.outBuf, m)
	if len(c.outBuf) >= kcpChunk {
		c.flushOut()
	}
	c.lastSend = c.s.now()
	if quiet {
		c.s.wakeAt(c.lastSend)
	}
}

// flushOut hands the queued messages to KCP in chunks of at most kcpChunk.
func (c *control) flushOut() {
	for b := c.outBuf; len(b) > 0; {
		n := min(len(b), kcpChunk)
		c.kcp.Send(b[:n])
		b = b[n:]
	}
	c.outBuf = c.outBuf[:0]
}

// waitSnd is the number of segments not yet acknowledged, counting queued
// messages as the segments they will make.
func (c *control) waitSnd() int {
	return c.kcp.WaitSnd() + (len(c.outBuf)+c.mss-1)/c.mss
}

// tick lets KCP send and resend. KCP flushes at most every kcpInterval, on
// a clock that restarts with the first flush after a quiet spell: updating
// it only while a message waits for its ack lets the first message after a
// quiet spell (a file's result, Complete) leave at once instead of at the
// next tick of that clock. Acks need no update: input sends them at once.
func (c *control) tick(now time.Duration) {
	if now-c.lastSend >= pingInterval {
		c.send(wire.Ping{})
	}
	c.flushOut()
	if c.kcp.WaitSnd() > 0 {
		c.kcp.Update()
		// Wake when KCP next flushes or resends (+1 ms: its clock counts
		// whole milliseconds).
		c.s.wakeAt(c.at0 + time.Duration(c.kcp.Check()-c.clock0)*time.Millisecond + time.Millisecond)
	}
}

// input feeds a Control datagram's payload to KCP and dispatches complete messages.
func (c *control) input(p []byte, now time.Duration) {
	if c.kcp.Input(p, kcp.IKCP_PACKET_REGULAR, true) < 0 {
		return
	}
	for !c.s.finished {
		n := c.kcp.Recv(c.recvBuf)
		if n == -2 {
			c.recvBuf = make([]byte, c.kcp.PeekSize())
			continue
		}
		if n < 0 {
			break
		}
		c.inBuf = append(c.inBuf, c.recvBuf[:n]...)
		c.dispatch(now)
	}
}

func (c *control) dispatch(now time.Duration) {
	off := 0
	for !c.s.finished {
		m, n, err := wire.SplitMsg(c.inBuf[off:])
		if errors.Is(err, wire.ErrIncomplete) {
			break
		}
		if err != nil {
			c.s.abort(errorf(CodeProtocol, "bad control message: %v", err), true)
			return
		}
		off += n
		if !c.s.closing || m.Type() == wire.MsgAbort {
			c.s.onMsg(m, now)
		}
	}
	c.inBuf = append(c.inBuf[:0], c.inBuf[off:]...)
	if len(c.inBuf) > maxCtlBuffer {
		c.s.abort(errorf(CodeProtocol, "control message too large"), true)
	}
}

// onMsg routes a control message to the role that handles it.
func (s *Session) onMsg(m wire.Msg, now time.Duration) {
	switch m := m.(type) {
	case wire.Ping:
	case wire.Abort:
		code := Code(m.Code)
		if code == "" {
			code = CodeProtocol
		}
		s.abort(&Error{Code: code, Msg: "peer: " + m.Msg}, false)
	default:
		var err error
		if s.snd != nil {
			err = s.snd.onMsg(m, now)
		} else if s.rcv != nil {
			err = s.rcv.onMsg(m, now)
		}
		if err != nil {
			s.abort(asError(err), true)
		}
	}
}
