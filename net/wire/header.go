package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Magic is the first two bytes of every JetStream datagram.
const Magic uint16 = 0x4A53 // "JS"

// Version is the protocol version this package speaks. Peers of another version
// are refused at the header. 2: the sink ends a session with Complete, unasked
// (version 1 waited for the source's Finish and answered it).
const Version uint8 = 2

// HeaderLen is the size of the plaintext packet header.
const HeaderLen = 16

// MaxDatagram is the largest UDP payload the engine ever sends or accepts.
const MaxDatagram = 65507

// Type identifies what a datagram carries.
type Type uint8

// Packet types.
const (
	TypeHello    Type = 1 // connector -> acceptor: start a session
	TypeHelloAck Type = 2 // acceptor -> connector: session accepted
	TypeControl  Type = 3 // KCP segments of the control channel
	TypeData     Type = 4 // one block of file data
	TypeAck      Type = 5 // aggregate range report for data blocks
	TypeDiscover Type = 6 // unauthenticated NAT discovery probe
)

// String returns the lower-case name of t.
func (t Type) String() string {
	switch t {
	case TypeHello:
		return "hello"
	case TypeHelloAck:
		return "hello-ack"
	case TypeControl:
		return "control"
	case TypeData:
		return "data"
	case TypeAck:
		return "ack"
	case TypeDiscover:
		return "discover"
	}
	return fmt.Sprintf("type(%d)", uint8(t))
}

// Valid reports whether t is a known packet type.
func (t Type) Valid() bool { return t >= TypeHello && t <= TypeDiscover }

// Header is the plaintext header of a datagram.
type Header struct {
	Type Type
	Conv uint32 // conversation (session) id
	PN   uint64 // packet number, unique per session and direction
}

// Errors returned by ParseHeader.
var (
	ErrShort      = errors.New("wire: packet too short")
	ErrBadMagic   = errors.New("wire: bad magic")
	ErrBadVersion = errors.New("wire: unsupported protocol version")
	ErrBadType    = errors.New("wire: unknown packet type")
)

// AppendHeader appends the encoding of h to b.
func AppendHeader(b []byte, h Header) []byte {
	b = binary.BigEndian.AppendUint16(b, Magic)
	b = append(b, Version, byte(h.Type))
	b = binary.BigEndian.AppendUint32(b, h.Conv)
	return binary.BigEndian.AppendUint64(b, h.PN)
}

// PutHeader writes h into the first HeaderLen bytes of b, which must be long enough.
func PutHeader(b []byte, h Header) {
	_ = b[HeaderLen-1]
	binary.BigEndian.PutUint16(b, Magic)
	b[2], b[3] = Version, byte(h.Type)
	binary.BigEndian.PutUint32(b[4:], h.Conv)
	binary.BigEndian.PutUint64(b[8:], h.PN)
}

// ParseHeader decodes the header at the start of pkt. It is cheap and allocation free,
// so the engine can drop foreign traffic before any other work.
func ParseHeader(pkt []byte) (Header, error) {
	if len(pkt) < HeaderLen {
		return Header{}, ErrShort
	}
	if binary.BigEndian.Uint16(pkt) != Magic {
		return Header{}, ErrBadMagic
	}
	if pkt[2] != Version {
		return Header{}, ErrBadVersion
	}
	t := Type(pkt[3])
	if !t.Valid() {
		return Header{}, ErrBadType
	}
	return Header{Type: t, Conv: binary.BigEndian.Uint32(pkt[4:]), PN: binary.BigEndian.Uint64(pkt[8:])}, nil
}
