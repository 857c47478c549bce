package triggers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Redacted replaces the value of every secret in trigger arguments.
const Redacted = "********"

// sensitiveKey reports whether the value under an object key is a secret that
// must never reach a trigger: any key containing "password" or "secret"
// (case-insensitive), and "key" or "privateKey" (such as the transfer key in
// a recv.createTicket result or a licence key). Public keys
// ("destinationPublicKey") and resume ids ("transferKey") are not secrets.
func sensitiveKey(k string) bool {
	l := strings.ToLower(k)
	return strings.Contains(l, "password") || strings.Contains(l, "secret") ||
		l == "key" || strings.HasSuffix(l, "privatekey")
}

// redactJSON returns doc compacted, with the value of every sensitive key (at
// any depth) replaced by the string Redacted. Key order and the spelling of
// numbers are kept, so the result reads like what the client or server sent.
// doc must hold exactly one JSON value.
func redactJSON(doc []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	type frame struct {
		obj     bool // object (else array)
		n       int  // members written
		wantKey bool // next token of an object is a key
	}
	var (
		out   bytes.Buffer
		stack []frame
		done  bool // the top-level value is complete
	)
	// finished marks the end of a value inside its container.
	finished := func() {
		if len(stack) == 0 {
			done = true
		} else if f := &stack[len(stack)-1]; f.obj {
			f.wantKey = true
		}
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if done {
			return nil, errors.New("trailing data after the JSON value")
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			out.WriteByte(byte(d))
			finished()
			continue
		}
		if len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.n > 0 && (!f.obj || f.wantKey) {
				out.WriteByte(',')
			}
			if f.obj && f.wantKey {
				key, _ := tok.(string) // the decoder only yields string keys
				writeString(&out, key)
				out.WriteByte(':')
				f.wantKey = false
				f.n++
				if sensitiveKey(key) {
					if err := skipValue(dec); err != nil {
						return nil, err
					}
					writeString(&out, Redacted)
					f.wantKey = true
				}
				continue
			}
			if !f.obj {
				f.n++
			}
		}
		switch v := tok.(type) {
		case json.Delim: // '{' or '['
			out.WriteByte(byte(v))
			stack = append(stack, frame{obj: v == '{', wantKey: v == '{'})
			continue
		case string:
			writeString(&out, v)
		case json.Number:
			out.WriteString(v.String())
		case bool:
			if v {
				out.WriteString("true")
			} else {
				out.WriteString("false")
			}
		case nil:
			out.WriteString("null")
		default:
			return nil, fmt.Errorf("unexpected JSON token %T", tok)
		}
		finished()
	}
	if !done {
		return nil, errors.New("incomplete JSON value")
	}
	return out.Bytes(), nil
}

// skipValue consumes one complete value from dec.
func skipValue(dec *json.Decoder) error {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			if err == io.EOF {
				return io.ErrUnexpectedEOF
			}
			return err
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
		if depth == 0 {
			return nil
		}
	}
}

// writeString appends s as a JSON string without HTML escaping, so paths
// with '<', '>' or '&' stay readable.
func writeString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)       // a string always encodes
	b.Truncate(b.Len() - 1) // Encode's newline
}
