package wire

import (
	"errors"
	"fmt"
)

// MaxDiscoverID bounds the length of a discover id.
const MaxDiscoverID = 128

// ErrBadDiscoverID reports an empty or oversized discover id.
var ErrBadDiscoverID = errors.New("wire: discover id must be 1..128 bytes")

// AppendDiscover appends a complete, unauthenticated Discover datagram (header included).
func AppendDiscover(b []byte, id string) ([]byte, error) {
	if len(id) == 0 || len(id) > MaxDiscoverID {
		return b, ErrBadDiscoverID
	}
	b = AppendHeader(b, Header{Type: TypeDiscover})
	return appendString(b, id), nil
}

// DecodeDiscover parses a whole Discover datagram and returns its id.
func DecodeDiscover(pkt []byte) (string, error) {
	h, err := ParseHeader(pkt)
	if err != nil {
		return "", err
	}
	if h.Type != TypeDiscover {
		return "", fmt.Errorf("wire: %v packet is not a discover packet", h.Type)
	}
	r := reader{b: pkt[HeaderLen:]}
	id := r.str("discover id", MaxDiscoverID)
	if err := r.done(); err != nil {
		return "", err
	}
	if id == "" {
		return "", ErrBadDiscoverID
	}
	return id, nil
}
