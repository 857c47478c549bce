package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrTruncated reports a payload that ends inside a field.
var ErrTruncated = errors.New("wire: truncated payload")

// reader decodes fields from a byte slice with a sticky error.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail(ErrTruncated)
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads a uvarint element count and checks it against max and against the
// remaining bytes (each element needs at least minSize bytes), so hostile counts
// cannot cause large allocations.
func (r *reader) count(what string, max, minSize int) int {
	v := r.uvarint()
	if r.err != nil {
		return 0
	}
	if v > uint64(max) {
		r.fail(fmt.Errorf("wire: %s count %d exceeds limit %d", what, v, max))
		return 0
	}
	if minSize > 0 && v > uint64(len(r.b)/minSize) {
		r.fail(ErrTruncated)
		return 0
	}
	return int(v)
}

func (r *reader) u8() uint8 {
	if r.err != nil {
		return 0
	}
	if len(r.b) < 1 {
		r.fail(ErrTruncated)
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

func (r *reader) u32() uint32 {
	if r.err != nil {
		return 0
	}
	if len(r.b) < 4 {
		r.fail(ErrTruncated)
		return 0
	}
	v := binary.BigEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v
}

func (r *reader) u64() uint64 {
	if r.err != nil {
		return 0
	}
	if len(r.b) < 8 {
		r.fail(ErrTruncated)
		return 0
	}
	v := binary.BigEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || len(r.b) < n {
		r.fail(ErrTruncated)
		return nil
	}
	v := r.b[:n:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) str(what string, max int) string {
	n := r.uvarint()
	if r.err != nil {
		return ""
	}
	if n > uint64(max) {
		r.fail(fmt.Errorf("wire: %s length %d exceeds limit %d", what, n, max))
		return ""
	}
	return string(r.bytes(int(n)))
}

func (r *reader) sum() (s [32]byte) {
	copy(s[:], r.bytes(32))
	return s
}

// done fails when bytes are left over: every payload is fully consumed.
func (r *reader) done() error {
	if r.err == nil && len(r.b) != 0 {
		r.fail(fmt.Errorf("wire: %d trailing bytes", len(r.b)))
	}
	return r.err
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendVarint(b []byte, v int64) []byte { return binary.AppendVarint(b, v) }

func (r *reader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail(ErrTruncated)
		return 0
	}
	r.b = r.b[n:]
	return v
}
