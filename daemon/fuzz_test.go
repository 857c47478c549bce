package daemon

import (
	"bufio"
	"bytes"
	"encoding/json"
	"testing"

	"github.com/jetstream-go/jetstream/daemon/api"
)

// FuzzParseParams: any parameters object for any method is either accepted
// (and then every typed getter works) or refused with invalid_parameter.
func FuzzParseParams(f *testing.F) {
	for _, s := range []string{`{}`, `null`, `{"path":"/x","directory":true}`, `{"path":7}`, `[1]`, `{"limit":1.5}`,
		`{"requestId":{"requestId":3}}`, `{"sandboxRoots":false}`, `{"fileMappings":["a:b"]}`, "{\"path\":\"\\u0000\"}"} {
		f.Add("lsAsync", []byte(s))
		f.Add("getEventLog", []byte(s))
		f.Add("send.createManifest", []byte(s))
	}
	f.Fuzz(func(t *testing.T, method string, raw []byte) {
		m, _, ok := api.Lookup(method)
		if !ok {
			return
		}
		p, err := parseParams(m, raw)
		if err != nil {
			if api.CodeOf(err) != api.CodeInvalidParameter {
				t.Fatalf("error code %s: %v", api.CodeOf(err), err)
			}
			return
		}
		for _, spec := range m.Params {
			_ = p.str(spec.Name)
			_ = p.int(spec.Name, 0)
			_ = p.float(spec.Name, 0)
			_ = p.bool(spec.Name, false)
		}
	})
}

// FuzzReadLine: the framing reader never returns more than the limit and
// never loses the line after an oversize one.
func FuzzReadLine(f *testing.F) {
	f.Add([]byte("{\"id\":1}\n{\"id\":2}\n"), 8)
	f.Add(bytes.Repeat([]byte("x"), 100), 10)
	f.Fuzz(func(t *testing.T, data []byte, max int) {
		if max < 1 || max > 1<<16 {
			return
		}
		r := bufio.NewReaderSize(bytes.NewReader(data), 16)
		for i := 0; i < len(data)+2; i++ {
			line, err := readLine(r, max)
			if err == errLineTooLong {
				continue
			}
			if err != nil {
				return
			}
			if len(line) > max {
				t.Fatalf("line of %d bytes over the %d limit", len(line), max)
			}
		}
	})
}

// FuzzRequestDecode: a request line decodes or is refused; never panics.
func FuzzRequestDecode(f *testing.F) {
	f.Add([]byte(`{"id":7,"request":"echo","parameters":{"text":"x"}}`))
	f.Add([]byte(`{"id":"x"}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		var req api.Request
		if json.Unmarshal(line, &req) != nil {
			return
		}
		if m, _, ok := api.Lookup(req.Request); ok {
			_, _ = parseParams(m, req.Parameters)
		}
	})
}
