package client

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
)

// Options configure Dial. The zero value dials localhost:8886 and pins the
// certificate in DefaultKnownHostsPath.
type Options struct {
	Host string // default "localhost"
	Port int    // default api.DefaultAPIPort
	// CAFile verifies the server against these CA certificates instead of
	// pinning.
	CAFile string
	// KnownHosts is the pin file (default DefaultKnownHostsPath()).
	KnownHosts string
	// OnPin is called when a certificate is pinned for the first time.
	OnPin func(addr, fingerprint, file string)
	// DialTimeout bounds connect + TLS handshake (default 10 s).
	DialTimeout time.Duration
	// Dial replaces net.Dialer (tests, proxies).
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// ConnectError wraps failures to reach the server (network or TLS).
type ConnectError struct {
	Addr string
	Err  error
}

func (e *ConnectError) Error() string { return fmt.Sprintf("cannot connect to %s: %v", e.Addr, e.Err) }
func (e *ConnectError) Unwrap() error { return e.Err }

// ErrClosed is returned by calls on a closed client or after the server hung up.
var ErrClosed = errors.New("connection to the server closed")

// Client is one API connection. Its methods are safe for concurrent use.
type Client struct {
	conn       net.Conn
	addr       string
	writeMu    sync.Mutex
	enc        *json.Encoder
	mu         sync.Mutex
	nextID     int64
	pending    map[int64]chan *api.Response
	watchers   map[int64]*Watcher
	err        error // sticky read error
	done       chan struct{}
	apiVersion int
}

// Dial connects and completes the TLS handshake.
func Dial(ctx context.Context, o Options) (*Client, error) {
	host := o.Host
	if host == "" {
		host = "localhost"
	}
	port := o.Port
	if port == 0 {
		port = api.DefaultAPIPort
	}
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	timeout := o.DialTimeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cfg, err := tlsConfig(o, host, addr)
	if err != nil {
		return nil, &ConnectError{Addr: addr, Err: err}
	}
	dial := o.Dial
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	raw, err := dial(ctx, "tcp", addr)
	if err != nil {
		return nil, &ConnectError{Addr: addr, Err: err}
	}
	conn := tls.Client(raw, cfg)
	if err := conn.HandshakeContext(ctx); err != nil {
		raw.Close()
		var cc *CertChangedError
		if errors.As(err, &cc) {
			return nil, cc
		}
		return nil, &ConnectError{Addr: addr, Err: err}
	}
	c := &Client{
		conn:     conn,
		addr:     addr,
		enc:      json.NewEncoder(conn),
		pending:  map[int64]chan *api.Response{},
		watchers: map[int64]*Watcher{},
		done:     make(chan struct{}),
	}
	go c.readLoop()
	return c, nil
}

func tlsConfig(o Options, host, addr string) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS13, ServerName: host}
	if o.CAFile != "" {
		pem, err := os.ReadFile(o.CAFile)
		if err != nil {
			return nil, fmt.Errorf("read CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("CA file %s holds no PEM certificate", o.CAFile)
		}
		cfg.RootCAs = pool
		return cfg, nil
	}
	file := o.KnownHosts
	if file == "" {
		file = DefaultKnownHostsPath()
	}
	cfg.InsecureSkipVerify = true // verified by the pin below
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		if len(cs.PeerCertificates) == 0 {
			return errors.New("server sent no certificate")
		}
		fp := Fingerprint(cs.PeerCertificates[0])
		added, err := checkPin(file, addr, fp)
		if err != nil {
			return err
		}
		if added && o.OnPin != nil {
			o.OnPin(addr, fp, file)
		}
		return nil
	}
	return cfg, nil
}

// Addr is the server's host:port.
func (c *Client) Addr() string { return c.addr }

// APIVersion is the server's API version seen in the last response.
func (c *Client) APIVersion() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.apiVersion
}

// Done is closed when the connection has ended (closed by either side).
func (c *Client) Done() <-chan struct{} { return c.done }

// Close ends the connection; pending calls fail with ErrClosed.
func (c *Client) Close() error {
	err := c.conn.Close()
	<-c.done
	return err
}

func (c *Client) readLoop() {
	defer close(c.done)
	r := bufio.NewReaderSize(c.conn, 64<<10)
	dec := json.NewDecoder(r)
	var err error
	for {
		var resp api.Response
		if err = dec.Decode(&resp); err != nil {
			break
		}
		c.dispatch(&resp)
	}
	c.mu.Lock()
	c.err = ErrClosed
	pend := c.pending
	c.pending = map[int64]chan *api.Response{}
	ws := c.watchers
	c.watchers = map[int64]*Watcher{}
	c.mu.Unlock()
	for _, ch := range pend {
		close(ch)
	}
	for _, w := range ws {
		w.closeWith(ErrClosed)
	}
}

func (c *Client) dispatch(resp *api.Response) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if resp.APIVersion != 0 {
		c.apiVersion = resp.APIVersion
	}
	if resp.Event != nil {
		if w := c.watchers[resp.ID]; w != nil {
			w.push(*resp.Event)
		}
		return
	}
	if ch, ok := c.pending[resp.ID]; ok {
		delete(c.pending, resp.ID)
		ch <- resp
	}
}

// send registers a pending id and writes the request.
func (c *Client) send(method string, params any) (int64, chan *api.Response, error) {
	var raw json.RawMessage
	if params != nil {
		b, err := json.Marshal(params)
		if err != nil {
			return 0, nil, fmt.Errorf("encode parameters of %s: %w", method, err)
		}
		raw = b
	}
	ch := make(chan *api.Response, 1)
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return 0, nil, c.err
	}
	c.nextID++
	id := c.nextID
	c.pending[id] = ch
	c.mu.Unlock()
	c.writeMu.Lock()
	err := c.enc.Encode(api.Request{ID: id, Request: method, Parameters: raw})
	c.writeMu.Unlock()
	if err != nil {
		c.forget(id)
		return 0, nil, ErrClosed
	}
	return id, ch, nil
}

func (c *Client) forget(id int64) {
	c.mu.Lock()
	delete(c.pending, id)
	c.mu.Unlock()
}

// CallRaw sends one request and returns the raw result of a success
// response. An error response is returned as *api.Error.
func (c *Client) CallRaw(ctx context.Context, method string, params any) (json.RawMessage, error) {
	id, ch, err := c.send(method, params)
	if err != nil {
		return nil, err
	}
	return c.await(ctx, id, ch)
}

// await waits for the answer to request id on ch.
func (c *Client) await(ctx context.Context, id int64, ch chan *api.Response) (json.RawMessage, error) {
	select {
	case resp, ok := <-ch:
		if !ok {
			return nil, ErrClosed
		}
		if resp.Status != api.StatusSuccess {
			code := resp.Code
			if code == "" {
				code = api.CodeInternal
			}
			return nil, &api.Error{Code: code, Message: resp.Message}
		}
		return resp.Result, nil
	case <-ctx.Done():
		c.forget(id)
		return nil, ctx.Err()
	}
}

// Call sends one request and decodes the result into out (when non-nil).
func (c *Client) Call(ctx context.Context, method string, params, out any) error {
	raw, err := c.CallRaw(ctx, method, params)
	if err != nil {
		return err
	}
	if out == nil || len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("decode result of %s: %w", method, err)
	}
	return nil
}
