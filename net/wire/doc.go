// Package wire defines the UDP packet formats of the JetStream data engine and the
// control messages carried on its reliable control channel.
//
// Every datagram starts with a 16-byte plaintext header:
//
//	0      2        3       4          8                 16
//	+------+--------+-------+----------+-----------------+
//	| "JS" | version| type  | conv u32 | packet no. u64  |
//	+------+--------+-------+----------+-----------------+
//
// followed by a type-specific payload and, for every type except Discover, a trailer
// added by the engine's sealer (CRC-32C for cipher level 0, an AEAD tag otherwise).
// The header is the AEAD's associated data, so a forged conv or packet number fails
// authentication. All integers are big-endian, variable-length integers are
// encoding/binary uvarints.
//
// Payloads:
//
//   - Hello / HelloAck: session handshake (randoms for key derivation, role, limits).
//   - Control: one or more KCP segments of the reliable control channel. The KCP
//     byte stream carries Msg values framed as type(1) | length(uvarint) | body.
//   - Data: one block of the transfer's block space: block(u64) | sendTime(u32 µs) | bytes.
//   - Ack: an aggregate range report with timestamps (see Ack).
//   - Discover: an unauthenticated NAT-opening probe carrying a discover id.
//
// Every Parse/Decode function validates lengths and counts before allocating and
// returns a descriptive error for malformed input; none of them panic.
package wire
