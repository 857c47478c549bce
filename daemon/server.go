package daemon

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/auth"
	"github.com/jetstream-go/jetstream/daemon/config"
	"github.com/jetstream-go/jetstream/daemon/store"
	"github.com/jetstream-go/jetstream/net/engine"
)

// ErrServerClosed is returned by Serve after Shutdown or Close.
var ErrServerClosed = errors.New("jetstream: server closed")

// Options are what New needs besides the configuration.
type Options struct {
	Config config.Server
	// Logger receives the server log (default: slog.Default()).
	Logger *slog.Logger
	// Version and Revision are reported by getServerInfo.
	Version, Revision string
}

// Server is a JetStream daemon.
type Server struct {
	cfg      config.Server
	log      *slog.Logger
	version  string
	revision string
	store    *store.Store
	auth     *auth.Authenticator
	tls      *tls.Config
	serverID string // new every launch
	uid      string // persistent
	started  time.Time

	bus       *bus
	requests  *requests
	settings  *settings
	ext       []extension // subsystems (transfers, triggers) hooked into the server
	routes    routes
	engine    dataPort
	data      *engine.Endpoint
	xfer      *transfers
	recv      recvState
	id        identity
	gcWake    chan struct{}
	fsGate    *fsGate // bounds concurrent AsUser file operations (fsgate.go)
	callHooks []func(user string, req *api.Request, resp *api.Response)

	baseCtx    context.Context
	cancel     context.CancelFunc
	mu         sync.Mutex
	listener   net.Listener
	conns      map[*conn]struct{}
	closed     bool
	wg         sync.WaitGroup
	workers    sync.WaitGroup // transfer jobs and receive watchers (lifecycle.go)
	workMu     sync.Mutex
	workStop   bool
	termOnce   sync.Once
	bgOnce     sync.Once
	limits     func(api.BandwidthLimits)
	terminated chan struct{}
}

// extension is a subsystem that registers API methods and is stopped with
// the server.
type extension interface {
	register(r routes)
	close() error
}

// New opens the state and prepares the server; it does not listen yet.
func New(o Options) (*Server, error) {
	cfg := o.Config
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	log := o.Logger
	if log == nil {
		log = slog.Default()
	}
	st, err := store.Open(cfg.PersistentStateDir)
	if err != nil {
		return nil, err
	}
	a, err := auth.New(auth.Config{
		StateDir:    cfg.PersistentStateDir,
		PAMService:  "jetstream",
		Superusers:  cfg.Superuser,
		Supergroups: cfg.Supergroup,
		Logf:        func(f string, args ...any) { log.Info(fmt.Sprintf(f, args...)) },
	})
	if err != nil {
		st.Close()
		return nil, err
	}
	cert, err := loadOrCreateCert(cfg.PersistentStateDir)
	if err != nil {
		st.Close()
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		cfg:        cfg,
		log:        log,
		version:    o.Version,
		revision:   o.Revision,
		store:      st,
		auth:       a,
		tls:        &tls.Config{MinVersion: tls.VersionTLS13, Certificates: []tls.Certificate{cert}},
		serverID:   randomHex(16),
		started:    time.Now(),
		baseCtx:    ctx,
		cancel:     cancel,
		conns:      map[*conn]struct{}{},
		terminated: make(chan struct{}),
		gcWake:     make(chan struct{}, 1),
		fsGate:     newFSGate(defaultFSSlots(), defaultFSQueue),
	}
	if err := s.init(); err != nil {
		s.abortNew()
		return nil, err
	}
	return s, nil
}

// init is the part of New that can fail after the server value exists;
// abortNew undoes whatever of it was done.
func (s *Server) init() error {
	var err error
	if s.uid, err = s.loadUID(); err != nil {
		return err
	}
	if err = s.loadIdentity(); err != nil {
		return err
	}
	s.bus = newBus(s.store, s.log)
	if s.settings, err = loadSettings(s.store, s.cfg); err != nil {
		return err
	}
	if s.xfer, err = newTransfers(s, s.store); err != nil {
		return err
	}
	if err = s.openDataPort(); err != nil {
		return err
	}
	if err = s.startTriggers(); err != nil { // triggers_glue.go
		return err
	}
	s.requests = newRequests(s.cfg.RequestResultTTL) // starts the sweeper: last, nothing fails after it
	return nil
}

// abortNew releases what New acquired before it failed: no goroutine,
// socket or file stays behind.
func (s *Server) abortNew() {
	s.cancel()
	for _, e := range s.ext {
		_ = e.close()
	}
	if s.requests != nil {
		s.requests.close()
	}
	if s.data != nil {
		s.data.Close()
	}
	if s.bus != nil {
		s.bus.close()
	}
	s.store.Close()
}

func (s *Server) loadUID() (string, error) {
	var uid string
	ok, err := s.store.Get("settings", "serverUid", &uid)
	if err != nil {
		return "", err
	}
	if !ok {
		uid = randomHex(16)
		if err := s.store.Put("settings", "serverUid", uid); err != nil {
			return "", err
		}
	}
	return uid, nil
}

// ListenAndServe listens on the configured API host and port and serves.
// Before it listens it warms the password check, so the first login does
// not pay for faulting in argon2id's memory (store.WarmUp).
func (s *Server) ListenAndServe() error {
	store.WarmUp()
	addr := net.JoinHostPort(s.cfg.APIHost, strconv.Itoa(s.cfg.APIPort))
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on API port: %w", err)
	}
	return s.Serve(l)
}

// Serve accepts API connections on l until Shutdown or Close.
func (s *Server) Serve(l net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		l.Close()
		return ErrServerClosed
	}
	s.listener = l
	s.mu.Unlock()
	s.startBackground()
	s.log.Info("API listening", "addr", l.Addr().String(), "remoteControl", s.cfg.APIAllowRemoteControl)
	s.bus.emit("", "serverStarted", map[string]any{"serverId": s.serverID, "apiPort": portOf(l.Addr())})
	var backoff time.Duration
	for {
		c, err := l.Accept()
		if err != nil {
			if s.isClosed() {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		if !s.admit(c) {
			continue
		}
		s.serveConn(c)
	}
}

// Addr is the API listener's address (nil before Serve).
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listener == nil {
		return nil
	}
	return s.listener.Addr()
}

// Terminated is closed when a superuser calls terminate.
func (s *Server) Terminated() <-chan struct{} { return s.terminated }

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

func (s *Server) admit(c net.Conn) bool {
	if !s.cfg.APIAllowRemoteControl && !isLoopback(c.RemoteAddr()) {
		s.log.Warn("refused remote API connection (remote control is off)", "remote", c.RemoteAddr().String())
		c.Close()
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if max := s.cfg.MaxConnections; max > 0 && len(s.conns) >= max {
		s.log.Warn("refused API connection: too many connections", "remote", c.RemoteAddr().String(), "max", max)
		c.Close()
		return false
	}
	return true
}

// Shutdown stops accepting, lets in-flight calls finish until ctx ends, then
// closes every connection, cancels the running transfers, waits for the
// transfer jobs and receive watchers to record their outcome (until ctx
// ends, then at most workerGrace more), stops the trigger runner and closes
// the state.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrServerClosed
	}
	s.closed = true
	if s.listener != nil {
		s.listener.Close()
	}
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.stopReading()
	}
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	s.cancel()
	for _, c := range conns {
		c.close()
	}
	<-done
	s.bgOnce.Do(func() { close(s.xfer.done) }) // never started: nothing to wait for
	// The scheduler has cancelled the running jobs when it is done.
	<-s.xfer.done
	if s.data != nil {
		s.data.Close() // ends the receive sessions
	}
	s.waitWorkers(ctx) // their end-of-transfer events and triggers come before the runner and log close
	for _, e := range s.ext {
		if cerr := e.close(); cerr != nil {
			s.log.Warn("stopping subsystem", "err", cerr)
		}
	}
	s.bus.emit("", "serverStopped", map[string]any{"serverId": s.serverID})
	s.bus.close()
	s.requests.close()
	if cerr := s.store.Close(); err == nil {
		err = cerr
	}
	s.log.Info("server stopped")
	return err
}

// Close is Shutdown without waiting for in-flight calls.
func (s *Server) Close() error {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := s.Shutdown(ctx)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b)
}

func isLoopback(a net.Addr) bool {
	ta, ok := a.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}

func portOf(a net.Addr) int {
	switch v := a.(type) {
	case *net.TCPAddr:
		return v.Port
	case *net.UDPAddr:
		return v.Port
	}
	return 0
}

func hostName() string {
	h, err := os.Hostname()
	if err != nil {
		return "localhost"
	}
	return h
}

// startBackground starts the periodic jobs once.
func (s *Server) startBackground() {
	s.bgOnce.Do(func() {
		go s.gcLoop()
		go s.xfer.schedule(s.baseCtx)
	})
}

// afterCall runs the hooks installed for processed API commands (the
// on.<command> triggers).
func (s *Server) afterCall(ss *session, req *api.Request, resp *api.Response) {
	for _, h := range s.callHooks {
		h(ss.userName(), req, resp)
	}
}

// applyBandwidth hands new server-wide limits to the data engine.
func (s *Server) applyBandwidth(bw api.BandwidthLimits) {
	if s.limits != nil {
		s.limits(bw)
	}
}
