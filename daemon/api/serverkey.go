package api

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// Server-key authentication: a sending daemon whose destination has no
// user name or password proves its persistent key (the publicKey of its
// getServerInfo) to the receiving daemon, which must have authorised that
// key with recv.addAuthorizedClientAsync.
//
//  1. the sender calls MethodServerKeyChallenge (no auth) and gets a
//     ServerKeyChallenge with a fresh nonce;
//  2. it signs ServerKeyAuthMessage(nonce, binding, serverUid, its key),
//     where binding is the TLS exporter value of this very connection
//     (TLSExporterLabel), and calls MethodAuthServerKey.
//
// The exporter value binds the signature to the TLS connection: a signature
// cannot be replayed on another connection or relayed by a server in the
// middle.
const (
	MethodServerKeyChallenge = "getServerKeyChallenge"
	MethodAuthServerKey      = "authServerKey"

	// TLSExporterLabel is the RFC 8446 §7.5 exporter label of the channel
	// binding; TLSExporterLength its length in bytes.
	TLSExporterLabel  = "EXPORTER-jetstream-server-key-auth"
	TLSExporterLength = 32

	// ServerKeyPrefix starts every public key in its text form.
	ServerKeyPrefix = "ed25519:"

	serverKeyDomain     = "jetstream server key auth v1\x00"
	receiverProofDomain = "jetstream receiver key proof v1\x00"
)

// ServerKeyChallenge is the result of getServerKeyChallenge.
type ServerKeyChallenge struct {
	Nonce     []byte `json:"nonce"`     // 32 random bytes (base64 in JSON)
	ServerUID string `json:"serverUid"` // the receiver's persistent id
	PublicKey string `json:"publicKey"` // the receiver's public key
	// Proof is the receiver's signature over ReceiverProofMessage: it holds
	// PublicKey's private key and is the end of this TLS connection. A
	// sender checks it against the destination's destinationPublicKey.
	Proof []byte `json:"proof"`
}

// ServerKeyAuthMessage is the byte string a sender signs: a domain
// separator, then each field length-prefixed so no two inputs collide.
func ServerKeyAuthMessage(nonce, binding []byte, serverUID, clientKey string) []byte {
	return keyMessage(serverKeyDomain, nonce, binding, serverUID, clientKey)
}

// ReceiverProofMessage is the byte string the receiver signs for Proof.
func ReceiverProofMessage(nonce, binding []byte, serverUID, serverKey string) []byte {
	return keyMessage(receiverProofDomain, nonce, binding, serverUID, serverKey)
}

func keyMessage(domain string, nonce, binding []byte, serverUID, key string) []byte {
	var b []byte
	b = append(b, domain...)
	for _, f := range [][]byte{nonce, binding, []byte(serverUID), []byte(key)} {
		n := len(f)
		b = append(b, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
		b = append(b, f...)
	}
	return b
}

// FormatServerKey renders a public key as getServerInfo shows it.
func FormatServerKey(pub ed25519.PublicKey) string {
	return ServerKeyPrefix + base64.StdEncoding.EncodeToString(pub)
}

// ParseServerKey parses "ed25519:<base64>" into a public key.
func ParseServerKey(s string) (ed25519.PublicKey, error) {
	rest, ok := strings.CutPrefix(s, ServerKeyPrefix)
	if !ok {
		return nil, errors.New("a server key starts with \"ed25519:\"")
	}
	raw, err := base64.StdEncoding.DecodeString(rest)
	if err != nil {
		return nil, fmt.Errorf("server key: bad base64: %v", err)
	}
	if len(raw) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("server key: %d bytes, want %d", len(raw), ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(raw), nil
}
