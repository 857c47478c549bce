package engine

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jetstream-go/jetstream/net/wire"
)

// Endpoint owns one UDP socket and demultiplexes sessions on it by conversation id.
type Endpoint struct {
	conn net.PacketConn
	bio  *batchIO // nil when batch I/O is off or unavailable
	cfg  Config

	bufs bufPools // buffers of cfg.MaxPacket+1 bytes and smaller classes
	// probeRoutes: the conn is a kernel UDP socket, so route MTUs apply.
	probeRoutes bool

	mu       sync.RWMutex
	sessions map[uint32]*Session
	closed   bool

	discMu    sync.Mutex
	discovers map[string]chan *net.UDPAddr

	heldMu sync.Mutex
	held   map[uint32]heldHello // early.go: hellos that beat their session

	stats epCounters

	done      chan struct{}
	closeOnce sync.Once
	wg        sync.WaitGroup
}

// EndpointStats counts datagrams seen by an Endpoint.
type EndpointStats struct {
	PacketsIn, PacketsOut uint64
	BytesIn, BytesOut     uint64
	DroppedBadHeader      uint64 // garbage, truncated, oversized, wrong magic/version/type
	DroppedUnknownConv    uint64 // no session with that conversation id (a held hello counts when it expires)
	HeldHellos            uint64 // hellos kept for a session not registered yet (early.go)
	DroppedAuth           uint64 // failed CRC/AEAD check (forged, corrupted, wrong key)
	DroppedReplay         uint64 // packet number seen before or too old
	DroppedEarly          uint64 // arrived before the session's handshake finished
	DroppedQueueFull      uint64 // the session could not keep up
	Discover              uint64 // discover packets received
	Batching              bool   // sendmmsg/recvmmsg in use
	GSO                   bool   // UDP generic segmentation offload in use
	GRO                   bool   // UDP generic receive offload in use
	RxTimestamps          bool   // the kernel stamps each datagram's arrival
}

type epCounters struct {
	packetsIn, packetsOut, bytesIn, bytesOut                      atomic.Uint64
	badHeader, unknownConv, auth, replay, early, queueFull, disco atomic.Uint64
	held                                                          atomic.Uint64
}

// Listen opens a UDP socket on addr (e.g. "127.0.0.1:0", ":8886") with large socket
// buffers (warning through cfg.Logf when the kernel caps them) and batch I/O.
func Listen(addr string, cfg Config) (*Endpoint, error) {
	cfg = cfg.withDefaults()
	ua, err := net.ResolveUDPAddr("udp4", addr)
	if err != nil {
		return nil, fmt.Errorf("engine: listen %q: %w", addr, err)
	}
	conn, err := net.ListenUDP("udp4", ua)
	if err != nil {
		return nil, fmt.Errorf("engine: listen %q: %w", addr, err)
	}
	setSocketBuffers(conn, cfg.SocketBuffer, cfg.Logf)
	return newEndpoint(conn, cfg), nil
}

// NewEndpoint runs an Endpoint over an existing PacketConn (net/netsim in tests, or
// wrappers). A *net.UDPConn gets batch I/O; other conns use ReadFrom/WriteTo.
func NewEndpoint(conn net.PacketConn, cfg Config) (*Endpoint, error) {
	if conn == nil {
		return nil, errors.New("engine: nil PacketConn")
	}
	return newEndpoint(conn, cfg.withDefaults()), nil
}

func newEndpoint(conn net.PacketConn, cfg Config) *Endpoint {
	e := &Endpoint{
		conn:      conn,
		cfg:       cfg,
		sessions:  make(map[uint32]*Session),
		discovers: make(map[string]chan *net.UDPAddr),
		done:      make(chan struct{}),
	}
	_, e.probeRoutes = conn.(*net.UDPConn)
	if uc, ok := conn.(*net.UDPConn); ok && !cfg.NoBatch && os.Getenv("JETSTREAM_NO_BATCH") != "1" {
		e.bio = newBatchIO(uc, cfg.Logf)
	}
	largest := cfg.MaxPacket + 1
	if e.bio != nil && e.bio.gro {
		largest = max(largest, groBufSize) // reads must hold a whole aggregate
	}
	e.bufs = newBufPools(largest)
	e.wg.Add(1)
	go e.readLoop()
	return e
}

// getBuf returns a buffer for the largest datagram the endpoint accepts.
func (e *Endpoint) getBuf() *[]byte { return e.bufs.get(0) }

// getBufN returns a buffer of at least n bytes (n <= 0: the largest).
func (e *Endpoint) getBufN(n int) *[]byte { return e.bufs.get(n) }

func (e *Endpoint) putBuf(b *[]byte) { e.bufs.put(b) }

// LocalAddr returns the socket's address.
func (e *Endpoint) LocalAddr() *net.UDPAddr {
	if ua, ok := e.conn.LocalAddr().(*net.UDPAddr); ok {
		return ua
	}
	ua, _ := net.ResolveUDPAddr("udp", e.conn.LocalAddr().String())
	return ua
}

// Stats returns a snapshot of the endpoint counters.
func (e *Endpoint) Stats() EndpointStats {
	s := &e.stats
	return EndpointStats{
		PacketsIn: s.packetsIn.Load(), PacketsOut: s.packetsOut.Load(),
		BytesIn: s.bytesIn.Load(), BytesOut: s.bytesOut.Load(),
		DroppedBadHeader: s.badHeader.Load(), DroppedUnknownConv: s.unknownConv.Load(), HeldHellos: s.held.Load(),
		DroppedAuth: s.auth.Load(), DroppedReplay: s.replay.Load(), DroppedEarly: s.early.Load(),
		DroppedQueueFull: s.queueFull.Load(), Discover: s.disco.Load(), Batching: e.bio != nil,
		GSO: e.bio != nil && e.bio.gso.Load(), GRO: e.bio != nil && e.bio.gro, RxTimestamps: e.bio != nil && e.bio.rxts,
	}
}

// NewConv returns a random conversation id that no session on e uses.
func (e *Endpoint) NewConv() uint32 {
	e.mu.RLock()
	defer e.mu.RUnlock()
	var c uint32
	for range 64 { // a collision is rare; 64 misses in a row would need ~all ids in use
		var b [4]byte
		rand.Read(b[:])
		c = binary.BigEndian.Uint32(b[:])
		if _, used := e.sessions[c]; c != 0 && !used {
			return c
		}
	}
	return c // Accept/Connect reports the clash
}

// Accept registers a session for t and returns it at once; it starts when the peer's
// hello arrives (or fails with peer_timeout after cfg.IdleTimeout).
func (e *Endpoint) Accept(t Ticket, side Side) (*Session, error) {
	s, err := e.newSession(t, side, false, nil)
	if err != nil {
		return nil, err
	}
	e.deliverHeldHello(s) // early.go
	go s.run()
	return s, nil
}

// Connect starts a session with the peer at raddr, retrying the hello until it is
// answered, ctx ends or the idle timeout passes.
func (e *Endpoint) Connect(ctx context.Context, raddr *net.UDPAddr, t Ticket, side Side) (*Session, error) {
	s, err := e.Dial(raddr, t, side)
	if err != nil {
		return nil, err
	}
	select {
	case <-s.established:
		return s, nil
	case <-s.done:
		return nil, s.Err()
	case <-ctx.Done():
		s.Close(ctx.Err())
		<-s.done
		return nil, ctx.Err()
	}
}

// Dial is Connect without the wait: the session sends its hello at once and
// retries it until answered or the idle timeout passes. A caller that
// proposed the ticket dials before the daemon has answered, so the
// handshake overlaps the login; Close ends a session whose ticket the
// daemon did not take.
func (e *Endpoint) Dial(raddr *net.UDPAddr, t Ticket, side Side) (*Session, error) {
	if raddr == nil {
		return nil, errors.New("engine: Connect needs a remote address")
	}
	s, err := e.newSession(t, side, true, raddr)
	if err != nil {
		return nil, err
	}
	go s.run()
	return s, nil
}

func (e *Endpoint) register(s *Session) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return ErrClosed
	}
	if _, dup := e.sessions[s.conv]; dup {
		return fmt.Errorf("engine: conversation %d is already in use", s.conv)
	}
	e.sessions[s.conv] = s
	return nil
}

func (e *Endpoint) unregister(s *Session) {
	e.mu.Lock()
	if e.sessions[s.conv] == s {
		delete(e.sessions, s.conv)
	}
	e.mu.Unlock()
}

// Close stops every session (their state stays resumable) and closes the socket.
func (e *Endpoint) Close() error {
	var err error
	e.closeOnce.Do(func() {
		e.mu.Lock()
		e.closed = true
		ss := make([]*Session, 0, len(e.sessions))
		for _, s := range e.sessions {
			ss = append(ss, s)
		}
		e.mu.Unlock()
		var wg sync.WaitGroup
		for _, s := range ss { // sessions linger (bounded) to deliver their aborts
			wg.Add(1)
			go func() {
				defer wg.Done()
				s.Close(&Error{Code: CodeCancelled, Msg: "endpoint closed"})
			}()
		}
		wg.Wait()
		close(e.done)
		err = e.conn.Close()
		e.wg.Wait()
		e.freeHeldHellos()
	})
	return err
}

// SendDiscover sends one unauthenticated discover packet carrying discoverID to raddr
// (the product's NAT-opening probe; send several, packets may be lost).
func (e *Endpoint) SendDiscover(raddr *net.UDPAddr, discoverID string) error {
	b, err := wire.AppendDiscover(nil, discoverID)
	if err != nil {
		return err
	}
	_, err = e.conn.WriteTo(b, raddr)
	if err == nil {
		e.stats.packetsOut.Add(1)
		e.stats.bytesOut.Add(uint64(len(b)))
	}
	return err
}

// WaitDiscover waits for a discover packet carrying discoverID and returns the
// address it came from (the peer's address as this endpoint sees it).
func (e *Endpoint) WaitDiscover(ctx context.Context, discoverID string) (*net.UDPAddr, error) {
	if discoverID == "" || len(discoverID) > wire.MaxDiscoverID {
		return nil, wire.ErrBadDiscoverID
	}
	ch := make(chan *net.UDPAddr, 1)
	e.discMu.Lock()
	if _, dup := e.discovers[discoverID]; dup {
		e.discMu.Unlock()
		return nil, fmt.Errorf("engine: already waiting for discover id %q", discoverID)
	}
	e.discovers[discoverID] = ch
	e.discMu.Unlock()
	defer func() {
		e.discMu.Lock()
		delete(e.discovers, discoverID)
		e.discMu.Unlock()
	}()
	select {
	case a := <-ch:
		return a, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-e.done:
		return nil, ErrClosed
	}
}

func (e *Endpoint) handleDiscover(pkt []byte, from net.Addr) {
	id, err := wire.DecodeDiscover(pkt)
	if err != nil {
		e.stats.badHeader.Add(1)
		return
	}
	e.stats.disco.Add(1)
	ua, ok := from.(*net.UDPAddr)
	if !ok {
		ua, _ = net.ResolveUDPAddr("udp", from.String())
	}
	e.discMu.Lock()
	ch := e.discovers[id]
	e.discMu.Unlock()
	if ch != nil && ua != nil {
		select {
		case ch <- ua:
		default:
		}
	}
}

func (e *Endpoint) lookup(conv uint32) *Session {
	e.mu.RLock()
	s := e.sessions[conv]
	e.mu.RUnlock()
	return s
}

// handle processes one received datagram; it owns bp.
func (e *Endpoint) handle(bp *[]byte, n int, from net.Addr, now time.Time) {
	e.stats.packetsIn.Add(1)
	e.stats.bytesIn.Add(uint64(n))
	pkt := (*bp)[:n]
	if n > e.cfg.MaxPacket {
		e.stats.badHeader.Add(1)
		e.putBuf(bp)
		return
	}
	h, err := wire.ParseHeader(pkt)
	if err != nil {
		e.stats.badHeader.Add(1)
		e.putBuf(bp)
		return
	}
	if h.Type == wire.TypeDiscover {
		e.handleDiscover(pkt, from)
		e.putBuf(bp)
		return
	}
	s := e.lookup(h.Conv)
	if s == nil {
		if h.Type == wire.TypeHello {
			e.holdHello(bp, n, h, from, now)
			return
		}
		e.stats.unknownConv.Add(1)
		e.putBuf(bp)
		return
	}
	if h.Type == wire.TypeData {
		// Data may be held until written: keep it in a buffer of its size.
		bp = e.bufs.shrink(bp, n)
		pkt = (*bp)[:n]
	}
	if !s.input(bp, pkt, h, from, now) {
		e.putBuf(bp)
	}
}

// write sends datagrams to addr, batched when possible.
func (e *Endpoint) write(pkts [][]byte, addr *net.UDPAddr, scratch *[]batchMsg) error {
	var bytes int
	for _, p := range pkts {
		bytes += len(p)
	}
	var err error
	if e.bio != nil {
		err = e.bio.write(pkts, addr, scratch)
	} else {
		for _, p := range pkts {
			if _, werr := e.conn.WriteTo(p, addr); werr != nil {
				err = werr
			}
		}
	}
	e.stats.packetsOut.Add(uint64(len(pkts)))
	e.stats.bytesOut.Add(uint64(bytes))
	return err
}

func (e *Endpoint) readLoop() {
	defer e.wg.Done()
	if e.bio != nil {
		e.bio.readLoop(e)
		return
	}
	for {
		bp := e.getBuf()
		n, from, err := e.conn.ReadFrom(*bp)
		if err != nil {
			e.putBuf(bp)
			if e.isClosed() || errors.Is(err, net.ErrClosed) {
				return
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			e.cfg.Logf("engine: read: %v", err)
			select {
			case <-e.done:
				return
			case <-time.After(10 * time.Millisecond): // bounded back-off on persistent errors
			}
			continue
		}
		e.handle(bp, n, from, time.Now())
	}
}

func (e *Endpoint) isClosed() bool {
	select {
	case <-e.done:
		return true
	default:
		return false
	}
}
