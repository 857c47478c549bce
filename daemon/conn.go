package daemon

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"io"
	"net"
	"sync"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
)

// maxInFlight bounds concurrently executing requests of one connection.
const maxInFlight = 32

// conn is one API connection: a reader loop that starts a goroutine per
// request (pipelining), and a serialised writer.
type conn struct {
	srv    *Server
	nc     net.Conn
	sess   *session
	ctx    context.Context
	cancel context.CancelFunc

	wmu sync.Mutex
	bw  *bufio.Writer

	inflight chan struct{}
	reqs     sync.WaitGroup

	wmuWatch sync.Mutex
	watches  map[int64]*subscription
}

func (s *Server) serveConn(nc net.Conn) {
	ctx, cancel := context.WithCancel(s.baseCtx)
	c := &conn{
		srv:      s,
		nc:       nc,
		ctx:      ctx,
		cancel:   cancel,
		bw:       bufio.NewWriterSize(nc, 32<<10),
		inflight: make(chan struct{}, maxInFlight),
		watches:  map[int64]*subscription{},
	}
	c.sess = newSession(s, nc.RemoteAddr())
	s.mu.Lock()
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	s.mu.Unlock()
	go c.serve()
}

func (c *conn) serve() {
	defer c.srv.wg.Done()
	defer c.finish()
	tc := tls.Server(c.nc, c.srv.tls)
	_ = tc.SetDeadline(time.Now().Add(15 * time.Second))
	if err := tc.HandshakeContext(c.ctx); err != nil {
		c.srv.log.Debug("TLS handshake failed", "remote", c.nc.RemoteAddr().String(), "err", err)
		return
	}
	_ = tc.SetDeadline(time.Time{})
	st := tc.ConnectionState()
	if cb, err := st.ExportKeyingMaterial(api.TLSExporterLabel, nil, api.TLSExporterLength); err == nil {
		c.sess.setBinding(cb) // channel binding for server-key auth
	}
	c.wmu.Lock()
	c.bw = bufio.NewWriterSize(tc, 32<<10)
	c.wmu.Unlock()
	br := bufio.NewReaderSize(tc, 64<<10)
	maxLine := c.srv.cfg.MaxLineBytes
	if maxLine <= 0 {
		maxLine = api.MaxLineBytes
	}
	for {
		line, err := readLine(br, maxLine)
		if errors.Is(err, errLineTooLong) {
			c.write(&api.Response{Status: api.StatusError, Code: api.CodeTooLarge,
				Message: "request line longer than the server's limit; it was discarded"})
			continue
		}
		if err != nil {
			return
		}
		if len(line) == 0 {
			continue
		}
		var req api.Request
		if err := json.Unmarshal(line, &req); err != nil {
			c.write(&api.Response{Status: api.StatusError, Code: api.CodeBadRequest,
				Message: "malformed request: " + err.Error()})
			continue
		}
		select {
		case c.inflight <- struct{}{}:
		case <-c.ctx.Done():
			return
		}
		c.reqs.Add(1)
		if changesSession(req.Request) {
			// Run it before reading on: a client may pipeline its next
			// requests right behind an auth, and they must see the login.
			c.handle(&req)
			<-c.inflight
			c.reqs.Done()
			continue
		}
		go func() {
			defer func() { <-c.inflight; c.reqs.Done() }()
			c.handle(&req)
		}()
	}
}

// finish waits for the connection's requests, then releases everything.
func (c *conn) finish() {
	c.cancel()
	c.reqs.Wait()
	c.wmuWatch.Lock()
	for _, sub := range c.watches {
		c.srv.bus.unsubscribe(sub)
	}
	c.watches = nil
	c.wmuWatch.Unlock()
	c.nc.Close()
	c.srv.mu.Lock()
	delete(c.srv.conns, c)
	c.srv.mu.Unlock()
}

// stopReading makes the reader loop end (used by Shutdown); in-flight
// requests still complete and answer.
func (c *conn) stopReading() { _ = c.nc.SetReadDeadline(time.Now()) }

func (c *conn) close() { c.cancel(); c.nc.Close() }

func (c *conn) write(resp *api.Response) {
	resp.APIVersion = api.APIVersion
	b, err := json.Marshal(resp)
	if err != nil {
		b, _ = json.Marshal(&api.Response{ID: resp.ID, Status: api.StatusError, Code: api.CodeInternal,
			Message: "cannot encode result: " + err.Error(), APIVersion: api.APIVersion})
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.nc.SetWriteDeadline(time.Now().Add(30 * time.Second))
	c.bw.Write(b)
	c.bw.WriteByte('\n')
	if err := c.bw.Flush(); err != nil {
		c.cancel()
	}
}

var errLineTooLong = errors.New("line too long")

// readLine reads one '\n'-terminated line of at most max bytes. A longer
// line is consumed and reported as errLineTooLong.
func readLine(r *bufio.Reader, max int) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(buf)+len(chunk) > max+2 { // room for "\r\n"; the exact check is below
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = r.ReadSlice('\n')
			}
			if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
				return nil, err
			}
			return nil, errLineTooLong
		}
		buf = append(buf, chunk...)
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == nil, errors.Is(err, io.EOF) && len(buf) > 0:
			line := trimEOL(buf)
			if len(line) > max {
				return nil, errLineTooLong
			}
			return line, nil
		default:
			return nil, err
		}
	}
}

func trimEOL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// changesSession reports whether method changes what the session may do
// (logins, superuser); the reader runs such calls before the next request.
func changesSession(method string) bool {
	m, _, ok := api.Lookup(method)
	if !ok {
		return false
	}
	switch m.Name {
	case "auth", "authToken", api.MethodAuthServerKey, "superuser":
		return true
	}
	return false
}
