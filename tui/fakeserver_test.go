package tui

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
)

// fakeServer speaks the API's wire protocol (TLS, one JSON object per
// line) on 127.0.0.1 with canned answers, to test the adapter's calls.
type fakeServer struct {
	t    *testing.T
	ln   net.Listener
	Port int

	mu       sync.Mutex
	handlers map[string]func(params map[string]any) (any, *api.Error)
	calls    []call
	results  map[int64]json.RawMessage // async results by request id
	nextReq  int64
	events   []api.Event // pushed to every watch
	wg       sync.WaitGroup
}

type call struct {
	Method string
	Params map[string]any
}

func newFakeServer(t *testing.T) *fakeServer {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "fake"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS13, Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeServer{t: t, ln: ln, Port: ln.Addr().(*net.TCPAddr).Port,
		handlers: map[string]func(map[string]any) (any, *api.Error){}, results: map[int64]json.RawMessage{}}
	s.wg.Add(1)
	go s.accept()
	t.Cleanup(func() { ln.Close(); s.wg.Wait() })
	return s
}

// handle sets the answer of a method.
func (s *fakeServer) handle(method string, h func(map[string]any) (any, *api.Error)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handlers[method] = h
}

// reply answers a method with a fixed result.
func (s *fakeServer) reply(method string, result any) {
	s.handle(method, func(map[string]any) (any, *api.Error) { return result, nil })
}

func (s *fakeServer) callLog() []call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]call(nil), s.calls...)
}

// params returns the parameters of the first call of a method.
func (s *fakeServer) params(method string) (map[string]any, bool) {
	for _, c := range s.callLog() {
		if c.Method == method {
			return c.Params, true
		}
	}
	return nil, false
}

func (s *fakeServer) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.wg.Add(1)
		go s.serve(c)
	}
}

func (s *fakeServer) serve(c net.Conn) {
	defer s.wg.Done()
	defer c.Close()
	dec := json.NewDecoder(bufio.NewReader(c))
	var wmu sync.Mutex
	enc := json.NewEncoder(c)
	write := func(v any) {
		wmu.Lock()
		defer wmu.Unlock()
		enc.Encode(v)
	}
	for {
		var req api.Request
		if err := dec.Decode(&req); err != nil {
			return
		}
		var params map[string]any
		if len(req.Parameters) > 0 {
			json.Unmarshal(req.Parameters, &params)
		}
		s.mu.Lock()
		s.calls = append(s.calls, call{req.Request, params})
		h := s.handlers[req.Request]
		events := append([]api.Event(nil), s.events...)
		s.mu.Unlock()
		resp := api.Response{ID: req.ID, Status: api.StatusSuccess, APIVersion: api.APIVersion}
		switch {
		case req.Request == api.MethodWatch:
			write(resp)
			for _, ev := range events {
				ev := ev
				write(api.Response{ID: req.ID, Event: &ev, APIVersion: api.APIVersion})
			}
			continue
		case req.Request == "getRequestResult":
			id := int64(params["requestId"].(float64))
			s.mu.Lock()
			resp.Result = s.results[id]
			s.mu.Unlock()
			write(resp)
			continue
		case h == nil:
			resp.Status, resp.Code, resp.Message = api.StatusError, api.CodeUnknownMethod, "no such method "+req.Request
			write(resp)
			continue
		}
		result, aerr := h(params)
		if aerr != nil {
			resp.Status, resp.Code, resp.Message = api.StatusError, aerr.Code, aerr.Message
			write(resp)
			continue
		}
		raw, _ := json.Marshal(result)
		if m, _, ok := api.Lookup(req.Request); ok && m.Async {
			s.mu.Lock()
			s.nextReq++
			id := s.nextReq
			s.results[id] = raw
			s.mu.Unlock()
			raw, _ = json.Marshal(api.RequestRef{RequestID: id})
		}
		resp.Result = raw
		write(resp)
	}
}
