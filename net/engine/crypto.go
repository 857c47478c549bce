package engine

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"hash/crc32"

	"github.com/jetstream-go/jetstream/net/wire"
)

// errAuth is returned by open for any datagram that fails its check.
var errAuth = errors.New("engine: packet failed authentication")

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// sealer protects datagrams of one session under one key.
type sealer struct {
	level Cipher
	aead  cipher.AEAD // nil for CipherNone
}

// Direction bits in the nonce: the connector sends with dirConnector.
const (
	dirConnector byte = 0
	dirAcceptor  byte = 1
)

// newSealer builds a sealer for level with key material secret (any length >= the
// cipher's key size; the first 16 or 32 bytes are used).
func newSealer(level Cipher, secret []byte) (*sealer, error) {
	s := &sealer{level: level}
	if level == CipherNone {
		return s, nil
	}
	n := 16
	if level == CipherAES256 {
		n = 32
	}
	if len(secret) < n {
		return nil, errorf(CodeAuth, "key too short for %v", level)
	}
	block, err := aes.NewCipher(secret[:n])
	if err != nil {
		return nil, err
	}
	s.aead, err = cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// deriveKey derives the session key from the ticket key and both hello randoms.
func deriveKey(ticketKey []byte, label string, connector, acceptor [16]byte) ([]byte, error) {
	if len(ticketKey) == 0 {
		return nil, nil
	}
	salt := append(connector[:], acceptor[:]...)
	return hkdf.Key(sha256.New, ticketKey, salt, "jetstream engine v1 "+label, 32)
}

// overhead is the number of trailer bytes seal appends.
func (s *sealer) overhead() int {
	if s.level == CipherNone {
		return 4
	}
	return 16
}

func nonce(dir byte, pn uint64) (n [12]byte) {
	n[0] = dir
	binary.BigEndian.PutUint64(n[4:], pn)
	return n
}

// seal protects pkt (header followed by payload) in place and returns the datagram.
// cap(pkt) must leave room for the overhead.
func (s *sealer) seal(pkt []byte, dir byte, pn uint64) []byte {
	switch s.level {
	case CipherNone:
		return binary.BigEndian.AppendUint32(pkt, crc32.Checksum(pkt, castagnoli))
	case CipherAuth:
		n := nonce(dir, pn)
		return s.aead.Seal(pkt, n[:], nil, pkt)
	default:
		n := nonce(dir, pn)
		out := s.aead.Seal(pkt[wire.HeaderLen:wire.HeaderLen], n[:], pkt[wire.HeaderLen:], pkt[:wire.HeaderLen])
		return pkt[:wire.HeaderLen+len(out)]
	}
}

// open verifies (and decrypts in place) a datagram and returns its payload.
func (s *sealer) open(pkt []byte, dir byte, pn uint64) ([]byte, error) {
	ov := s.overhead()
	if len(pkt) < wire.HeaderLen+ov {
		return nil, errAuth
	}
	end := len(pkt) - ov
	switch s.level {
	case CipherNone:
		if crc32.Checksum(pkt[:end], castagnoli) != binary.BigEndian.Uint32(pkt[end:]) {
			return nil, errAuth
		}
		return pkt[wire.HeaderLen:end], nil
	case CipherAuth:
		n := nonce(dir, pn)
		if _, err := s.aead.Open(nil, n[:], pkt[end:], pkt[:end]); err != nil {
			return nil, errAuth
		}
		return pkt[wire.HeaderLen:end], nil
	default:
		n := nonce(dir, pn)
		out, err := s.aead.Open(pkt[wire.HeaderLen:wire.HeaderLen], n[:], pkt[wire.HeaderLen:], pkt[:wire.HeaderLen])
		if err != nil {
			return nil, errAuth
		}
		return out, nil
	}
}
