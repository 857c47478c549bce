package engine

import (
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/net/wire"
	"github.com/xtaci/kcp-go/v5"
)

// ctlSession is the least of a Session a control channel needs.
func ctlSession(t *testing.T) *Session {
	t.Helper()
	tx, err := newSealer(CipherNone, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &Session{ep: &Endpoint{bufs: newBufPools(65508)}, conv: 7, maxPkt: 1472, localMax: 1472, tx: tx, start: time.Now()}
	s.ctl = newControl(s)
	return s
}

// Messages sent in one turn share KCP segments: 3,000 small messages (a
// large transfer's per-file metadata and results) must not take 3,000 of the
// 1,024-segment window, and they arrive intact and in order.
func TestControlCoalescesMessages(t *testing.T) {
	a, b := ctlSession(t), ctlSession(t)
	const n = 3000
	var bytes int
	for i := range n {
		m := wire.Abort{Code: "c", Msg: string(rune('a' + i%26))}
		bytes += len(wire.AppendMsg(nil, m))
		a.ctl.send(m)
	}
	segs := (bytes + a.ctl.mss - 1) / a.ctl.mss
	if got := a.ctl.waitSnd(); got != segs {
		t.Fatalf("waitSnd before the tick = %d, want %d (%d bytes of messages)", got, segs, bytes)
	}
	a.ctl.tick(a.now())
	if got := a.ctl.kcp.WaitSnd(); got > segs+1 {
		t.Fatalf("KCP holds %d segments for %d messages (%d bytes), want about %d", got, n, bytes, segs)
	}
	if len(a.ctl.outBuf) != 0 {
		t.Fatalf("%d bytes left unqueued after the tick", len(a.ctl.outBuf))
	}
	// Deliver: b's dispatch sees every message in order (here: the byte
	// stream splits into exactly n messages).
	var got []wire.Msg
	for _, pkt := range a.out {
		if kcp := b.ctl.kcp.Input(pkt[wire.HeaderLen:len(pkt)-a.tx.overhead()], kcp.IKCP_PACKET_REGULAR, true); kcp < 0 {
			t.Fatalf("kcp input: %d", kcp)
		}
	}
	buf := make([]byte, 64<<10)
	var stream []byte
	for {
		k := b.ctl.kcp.Recv(buf)
		if k < 0 {
			break
		}
		stream = append(stream, buf[:k]...)
	}
	for len(stream) > 0 {
		m, k, err := wire.SplitMsg(stream)
		if err != nil {
			t.Fatalf("after %d messages: %v", len(got), err)
		}
		got = append(got, m)
		stream = stream[k:]
	}
	if len(got) != n {
		t.Fatalf("%d messages arrived, want %d", len(got), n)
	}
	for i, m := range got {
		if ab, ok := m.(wire.Abort); !ok || ab.Msg != string(rune('a'+i%26)) {
			t.Fatalf("message %d = %#v", i, m)
		}
	}
}
