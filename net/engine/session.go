package engine

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jetstream-go/jetstream/net/pacer"
	"github.com/jetstream-go/jetstream/net/wire"
	"github.com/xtaci/kcp-go/v5"
)

// Session is one transfer between two endpoints. All protocol state is owned by one
// goroutine (run); the methods below talk to it through channels or atomics.
type Session struct {
	ep        *Endpoint
	cfg       Config
	ticket    Ticket
	side      Side
	role      wire.Role
	conv      uint32
	connector bool
	outDir    byte
	inDir     byte

	// Used by the endpoint's reader goroutine.
	hello  *sealer
	rx     atomic.Pointer[sealer]
	rxMax  atomic.Int32 // negotiated datagram size, set before rx (0 = not yet)
	replay replayWindow
	peer   atomic.Pointer[net.UDPAddr]
	in     chan inPacket

	established chan struct{}
	cmds        chan func()
	done        chan struct{}
	errMu       sync.Mutex
	err         *Error

	// Owned by the session goroutine.
	estab      bool
	tx         *sealer
	pn         uint64
	myRandom   [16]byte
	peerRandom [16]byte
	maxPkt     int         // negotiated datagram size
	saved      *Checkpoint // sink: the saved state of this transfer, loaded once
	savedErr   error
	peerFresh  bool // source: the sink said it holds no saved state (wire.HelloFresh)
	localMax   int  // largest datagram this side's path carries (announced in hellos)
	ctl        *control
	start      time.Time
	lastRecv   time.Duration
	nextHello  time.Duration
	wake       time.Duration // earliest extra wake-up requested during this iteration
	finished   bool
	lingerTill time.Duration // closing: stay until the Abort is delivered
	closing    bool          // aborting: only the control channel still runs

	out     [][]byte
	outBufs []*[]byte
	scratch []batchMsg

	stats counters
	snd   *sender
	rcv   *receiver
}

type inPacket struct {
	bp      *[]byte
	h       wire.Header
	payload []byte
	from    *net.UDPAddr
	at      time.Time
}

func (e *Endpoint) newSession(t Ticket, side Side, connector bool, raddr *net.UDPAddr) (*Session, error) {
	if err := t.validate(); err != nil {
		return nil, err
	}
	role, err := side.role()
	if err != nil {
		return nil, err
	}
	hk, err := deriveKey(t.Key, "hello", [16]byte{}, [16]byte{})
	if err != nil {
		return nil, err
	}
	hs, err := newSealer(t.Cipher, hk)
	if err != nil {
		return nil, err
	}
	s := &Session{
		ep: e, cfg: e.cfg, ticket: t, side: side, role: role, conv: t.Conv, connector: connector,
		hello: hs, in: make(chan inPacket, e.cfg.QueueLen),
		established: make(chan struct{}), cmds: make(chan func(), 16), done: make(chan struct{}),
		start: time.Now(), maxPkt: e.cfg.MaxPacket, localMax: e.cfg.MaxPacket,
	}
	if connector {
		s.localMax = e.pathMax(raddr)
	}
	s.outDir, s.inDir = dirAcceptor, dirConnector
	if connector {
		s.outDir, s.inDir = dirConnector, dirAcceptor
		s.peer.Store(raddr)
	}
	rand.Read(s.myRandom[:])
	if side.Sink != nil {
		s.saved, s.savedErr = side.Sink.Load(t.TransferKey)
	}
	if err := e.register(s); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Session) now() time.Duration { return time.Since(s.start) }

// arrival is when p reached this host on the session clock: the kernel's
// receive stamp where the socket gives one, else the read. The session may
// get to a packet later (a busy goroutine, a descheduled thread); delay
// and delivery-rate samples taken then would show that as a queue on the
// path.
func (s *Session) arrival(p inPacket, now time.Duration) time.Duration {
	if p.at.IsZero() {
		return now
	}
	return min(max(p.at.Sub(s.start), 0), now)
}

// Done is closed when the session has ended; Err then tells why.
func (s *Session) Done() <-chan struct{} { return s.done }

// Err returns nil while running or after a complete transfer, else an *Error.
func (s *Session) Err() error {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	if s.err == nil {
		return nil
	}
	return s.err
}

// Conv returns the session's conversation id.
func (s *Session) Conv() uint32 { return s.conv }

// Stats returns a snapshot of the session counters.
func (s *Session) Stats() Stats { return s.stats.snapshot() }

// SetRate changes the sending rate limits and policy of a running session (bytes/s).
func (s *Session) SetRate(minRate, maxRate float64, p pacer.Policy) error {
	if minRate < 0 || maxRate < 0 || (maxRate > 0 && minRate > maxRate) {
		return errorf(CodeProtocol, "invalid rate limits [%v, %v]", minRate, maxRate)
	}
	res := make(chan error, 1)
	select {
	case s.cmds <- func() {
		if s.snd == nil {
			res <- errorf(CodeProtocol, "session is not sending")
			return
		}
		res <- s.snd.setRate(minRate, maxRate, p)
	}:
	case <-s.done:
		return s.Err()
	}
	select {
	case err := <-res:
		return err
	case <-s.done:
		return s.Err()
	}
}

// Close stops the session and tells the peer. The partial state stays resumable
// (the receiver checkpoints before it stops). reason becomes Err (cancelled if nil).
// It waits (at most a few seconds) until the peer acknowledged the abort. Do not
// call it from an Observer callback.
func (s *Session) Close(reason error) error {
	e := asError(reason)
	if e == nil || reason == nil {
		e = &Error{Code: CodeCancelled, Msg: "closed"}
	} else if _, typed := reason.(*Error); !typed {
		e = &Error{Code: CodeCancelled, Msg: reason.Error()}
	}
	select {
	case s.cmds <- func() { s.abort(e, true) }:
	case <-s.done:
		return nil
	}
	<-s.done
	return nil
}

// kill stops the session abruptly, like a crash: no message, no checkpoint (tests).
func (s *Session) kill() {
	select {
	case s.cmds <- func() { s.setErr(&Error{Code: CodeCancelled, Msg: "killed"}); s.finished = true }:
	case <-s.done:
		return
	}
	<-s.done
}

func (s *Session) setErr(e *Error) {
	s.errMu.Lock()
	if s.err == nil {
		s.err = e
	}
	s.errMu.Unlock()
}

// abort ends the session with e; tell says whether to notify the peer.
func (s *Session) abort(e *Error, tell bool) {
	if s.finished {
		return
	}
	if s.closing {
		if !tell { // the peer gave up too: no need to wait for its ack
			s.finished = true
		}
		return
	}
	if s.rcv != nil {
		s.rcv.checkpoint(s.now(), true)
	}
	s.setErr(e)
	if tell && s.estab && s.ctl != nil {
		// Linger until KCP has delivered the Abort (bounded), so the peer stops too.
		s.ctl.send(wire.Abort{Code: string(e.Code), Msg: e.Msg})
		s.closing = true
		s.lingerTill = s.now() + closeLinger
		return
	}
	s.finished = true
}

// closeLinger bounds how long a closing session waits for its Abort to be acked.
const closeLinger = 2 * time.Second

// complete ends the session successfully.
func (s *Session) complete() {
	s.finished = true
}

// input runs on the endpoint's reader goroutine: authenticate, check replay, queue.
// It reports whether it took ownership of bp.
func (s *Session) input(bp *[]byte, pkt []byte, h wire.Header, from net.Addr, at time.Time) bool {
	ua, _ := from.(*net.UDPAddr)
	var payload []byte
	switch h.Type {
	case wire.TypeHello, wire.TypeHelloAck:
		dir := dirConnector
		if h.Type == wire.TypeHelloAck {
			dir = dirAcceptor
		}
		p, err := s.hello.open(pkt, dir, h.PN)
		if err != nil {
			s.ep.stats.auth.Add(1)
			return false
		}
		payload = p
	default:
		rx := s.rx.Load()
		if rx == nil {
			s.ep.stats.early.Add(1)
			return false
		}
		if m := s.rxMax.Load(); m > 0 && len(pkt) > int(m) {
			s.ep.stats.badHeader.Add(1) // larger than the negotiated datagram size
			return false
		}
		p, err := rx.open(pkt, s.inDir, h.PN)
		if err != nil {
			s.ep.stats.auth.Add(1)
			return false
		}
		if !s.replay.accept(h.PN) {
			s.ep.stats.replay.Add(1)
			return false
		}
		payload = p
		if ua != nil {
			if cur := s.peer.Load(); cur == nil || cur.Port != ua.Port || !cur.IP.Equal(ua.IP) {
				s.peer.Store(ua)
			}
		}
	}
	select {
	case s.in <- inPacket{bp: bp, h: h, payload: payload, from: ua, at: at}:
		return true
	default:
		s.ep.stats.queueFull.Add(1)
		return false
	}
}

// run is the session's owner goroutine.
func (s *Session) run() {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	defer s.cleanup()
	for !s.finished {
		now := s.now()
		s.wake = 0
		s.tick(now)
		s.flushOut()
		if s.finished {
			break
		}
		wait := 10 * time.Millisecond
		if s.wake > 0 {
			wait = min(wait, max(s.wake-now, 0))
		}
		timer.Reset(wait)
		var readCh <-chan readItem
		if s.snd != nil {
			readCh = s.snd.readChan()
		}
		var diskCh <-chan diskResult
		if s.rcv != nil && !s.closing {
			diskCh = s.rcv.diskResults()
		}
		select {
		case p := <-s.in:
			s.handle(p)
			for i := 0; i < 256; i++ { // drain a bounded burst before the next tick
				select {
				case p := <-s.in:
					s.handle(p)
					continue
				default:
				}
				break
			}
		case it := <-readCh:
			s.snd.onReadItem(it)
			for i := 0; i < 256; i++ { // take what is ready, not one block per tick
				select {
				case it := <-s.snd.readChan():
					s.snd.onReadItem(it)
					continue
				default:
				}
				break
			}
		case res := <-diskCh:
			s.rcv.onDiskResult(res)
		case f := <-s.cmds:
			f()
		case <-timer.C:
		}
	}
}

// tick runs timers: hello retries, KCP, acks, checkpoints, pacing, liveness.
func (s *Session) tick(now time.Duration) {
	if now-s.lastRecv > s.cfg.IdleTimeout {
		s.abort(errorf(CodePeerTimeout, "no packet from the peer for %v", s.cfg.IdleTimeout.Round(time.Second)), false)
		return
	}
	if !s.estab {
		if s.connector && now >= s.nextHello {
			s.sendHello(wire.TypeHello)
			s.nextHello = now + s.cfg.HelloInterval
		}
		return
	}
	s.ctl.tick(now)
	if s.finished {
		return
	}
	if s.closing {
		if s.ctl.waitSnd() == 0 || now > s.lingerTill {
			s.finished = true
		}
		return
	}
	if s.rcv != nil {
		s.rcv.tick(now)
	}
	if s.snd != nil {
		s.snd.tick(now)
	}
}

func (s *Session) wakeAt(t time.Duration) {
	if s.wake == 0 || t < s.wake {
		s.wake = t
	}
}

func (s *Session) handle(p inPacket) {
	kept := false
	defer func() {
		if !kept {
			s.ep.putBuf(p.bp)
		}
	}()
	now := s.now()
	s.lastRecv = now
	s.stats.packetsRecv.Add(1)
	s.stats.bytesRecv.Add(int64(len(p.payload) + wire.HeaderLen))
	switch p.h.Type {
	case wire.TypeHello:
		s.onHello(p)
	case wire.TypeHelloAck:
		s.onHelloAck(p)
	case wire.TypeControl:
		if s.estab {
			s.ctl.input(p.payload, now)
		}
	case wire.TypeData:
		if s.rcv != nil && !s.closing {
			kept = s.rcv.onData(p, now, s.arrival(p, now))
		}
	case wire.TypeAck:
		if s.snd != nil && !s.closing {
			s.snd.onAck(p.payload, now, s.arrival(p, now))
		}
	}
}

func (s *Session) sendHello(t wire.Type) {
	h := wire.Hello{Random: s.myRandom, Role: s.role, MaxPacket: uint32(s.localMax)}
	if s.role == wire.RoleSink && s.saved == nil && s.savedErr == nil {
		h.Flags |= wire.HelloFresh
	}
	if t == wire.TypeHelloAck {
		h.Echo = s.peerRandom
	}
	var pnb [8]byte
	rand.Read(pnb[:])
	bp := s.ep.getBuf()
	pkt := wire.AppendHeader((*bp)[:0], wire.Header{Type: t, Conv: s.conv, PN: binary.BigEndian.Uint64(pnb[:])})
	pkt = wire.AppendHello(pkt, &h)
	pkt = s.hello.seal(pkt, s.outDir, binary.BigEndian.Uint64(pnb[:]))
	s.queue(bp, pkt)
}

func (s *Session) onHello(p inPacket) {
	if s.connector {
		return
	}
	h, err := wire.DecodeHello(p.payload)
	if err != nil || h.Role == s.role {
		s.ep.stats.badHeader.Add(1)
		return
	}
	if s.estab {
		if h.Random == s.peerRandom { // our HelloAck was lost
			s.sendHello(wire.TypeHelloAck)
		}
		return
	}
	s.peerRandom = h.Random
	s.peerFresh = h.Flags&wire.HelloFresh != 0
	if p.from != nil {
		s.peer.Store(p.from)
		s.localMax = s.ep.pathMax(p.from)
	}
	if err := s.establish(h.MaxPacket, s.peerRandom, s.myRandom); err != nil {
		s.abort(asError(err), false)
		return
	}
	s.sendHello(wire.TypeHelloAck)
	s.startRole()
}

func (s *Session) onHelloAck(p inPacket) {
	if !s.connector || s.estab {
		return
	}
	h, err := wire.DecodeHello(p.payload)
	if err != nil || h.Echo != s.myRandom || h.Role == s.role {
		s.ep.stats.badHeader.Add(1)
		return
	}
	s.peerRandom = h.Random
	s.peerFresh = h.Flags&wire.HelloFresh != 0
	if err := s.establish(h.MaxPacket, s.myRandom, s.peerRandom); err != nil {
		s.abort(asError(err), false)
		return
	}
	close(s.established)
	s.startRole()
}

func (s *Session) establish(peerMax uint32, connRand, accRand [16]byte) error {
	key, err := deriveKey(s.ticket.Key, "session", connRand, accRand)
	if err != nil {
		return err
	}
	sl, err := newSealer(s.ticket.Cipher, key)
	if err != nil {
		return err
	}
	s.tx = sl
	s.maxPkt = min(s.localMax, int(peerMax))
	s.rxMax.Store(int32(s.maxPkt))
	s.stats.maxPkt.Store(int64(s.maxPkt))
	s.rx.Store(sl)
	s.estab = true
	s.ctl = newControl(s)
	if !s.connector {
		close(s.established)
	}
	return nil
}

func (s *Session) startRole() {
	if s.role == wire.RoleSource {
		snd, err := newSender(s)
		if err != nil {
			s.abort(asError(err), true)
			return
		}
		s.snd = snd
		return
	}
	s.rcv = newReceiver(s)
}

// payloadRoom is the largest payload a sealed datagram can carry.
func (s *Session) payloadRoom() int { return s.maxPkt - wire.HeaderLen - s.tx.overhead() }

// packet starts a datagram of type t in a pooled buffer; fill the payload after
// wire.HeaderLen and pass it to send.
func (s *Session) packet(t wire.Type) (*[]byte, []byte) {
	bp := s.ep.getBufN(s.maxPkt + 1)
	s.pn++
	pkt := (*bp)[:wire.HeaderLen]
	wire.PutHeader(pkt, wire.Header{Type: t, Conv: s.conv, PN: s.pn})
	return bp, pkt
}

// send seals pkt (from packet) and queues it for the next flush.
func (s *Session) send(bp *[]byte, pkt []byte) {
	pn := binary.BigEndian.Uint64(pkt[8:16])
	s.queue(bp, s.tx.seal(pkt, s.outDir, pn))
}

func (s *Session) queue(bp *[]byte, pkt []byte) {
	s.out = append(s.out, pkt)
	s.outBufs = append(s.outBufs, bp)
	if len(s.out) >= batchSize {
		s.flushOut()
	}
}

func (s *Session) flushOut() {
	if len(s.out) == 0 {
		return
	}
	peer := s.peer.Load()
	if peer != nil {
		if err := s.ep.write(s.out, peer, &s.scratch); err != nil && !errors.Is(err, net.ErrClosed) {
			s.cfg.Logf("engine: conv %d: send: %v", s.conv, err)
		}
		s.stats.packetsSent.Add(int64(len(s.out)))
	}
	for i, bp := range s.outBufs {
		s.ep.putBuf(bp)
		s.outBufs[i], s.out[i] = nil, nil
	}
	s.out, s.outBufs = s.out[:0], s.outBufs[:0]
}

func (s *Session) cleanup() {
	s.flushOut()
	if s.snd != nil {
		s.snd.stop()
	}
	if s.rcv != nil {
		s.rcv.stop()
	}
	s.ep.unregister(s)
	// release queued packets
	for {
		select {
		case p := <-s.in:
			s.ep.putBuf(p.bp)
			continue
		default:
		}
		break
	}
	if s.err != nil {
		s.cfg.Logf("engine: conv %d ended: %v", s.conv, s.err)
	}
	close(s.done)
}

func (s *Session) observe(r FileResult) {
	if r.Err == nil {
		s.stats.filesDone.Add(1)
	} else {
		s.stats.filesFailed.Add(1)
	}
	if s.side.Observer != nil {
		s.side.Observer.FileDone(r)
	}
}

var _ = kcp.IKCP_OVERHEAD
