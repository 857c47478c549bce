package wire

import (
	"encoding/binary"
	"fmt"
)

// Role says which side of a transfer an endpoint plays.
type Role uint8

// Roles.
const (
	RoleSource Role = 1 // sends files
	RoleSink   Role = 2 // receives files
)

// String returns "source" or "sink".
func (r Role) String() string {
	switch r {
	case RoleSource:
		return "source"
	case RoleSink:
		return "sink"
	}
	return fmt.Sprintf("role(%d)", uint8(r))
}

// HelloLen is the encoded size of a Hello payload.
const HelloLen = 16 + 16 + 1 + 4 + 1

// MinPacket is the smallest datagram size a peer may announce.
const MinPacket = 576

// Hello is the payload of TypeHello and TypeHelloAck. Random seeds the session key
// derivation; in a HelloAck, Echo repeats the connector's Random.
type Hello struct {
	Random    [16]byte
	Echo      [16]byte
	Role      Role   // the sender's role
	MaxPacket uint32 // largest datagram the sender of the hello accepts
	Flags     uint8  // HelloFresh; unknown bits are ignored
}

// HelloFresh, set by the sink, says it holds no saved state for the transfer:
// the source need not wait for the offer's acknowledgement (which would carry
// that state) before it lists files and sends data, saving a round trip.
const HelloFresh uint8 = 1

// AppendHello appends h's encoding to b.
func AppendHello(b []byte, h *Hello) []byte {
	b = append(b, h.Random[:]...)
	b = append(b, h.Echo[:]...)
	b = append(b, byte(h.Role))
	b = binary.BigEndian.AppendUint32(b, h.MaxPacket)
	return append(b, h.Flags)
}

// DecodeHello parses a Hello payload.
func DecodeHello(p []byte) (Hello, error) {
	var h Hello
	if len(p) != HelloLen {
		return h, fmt.Errorf("wire: hello payload is %d bytes, want %d", len(p), HelloLen)
	}
	copy(h.Random[:], p[:16])
	copy(h.Echo[:], p[16:32])
	h.Role = Role(p[32])
	h.MaxPacket = binary.BigEndian.Uint32(p[33:37])
	h.Flags = p[37]
	if h.Role != RoleSource && h.Role != RoleSink {
		return h, fmt.Errorf("wire: hello has unknown role %d", p[32])
	}
	if h.MaxPacket < MinPacket || h.MaxPacket > MaxDatagram {
		return h, fmt.Errorf("wire: hello max packet %d outside [%d, %d]", h.MaxPacket, MinPacket, MaxDatagram)
	}
	return h, nil
}
