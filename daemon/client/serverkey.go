package client

import (
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/jetstream-go/jetstream/daemon/api"
)

// ChannelBinding is the TLS exporter value of this connection for
// server-key authentication (api.TLSExporterLabel).
func (c *Client) ChannelBinding() ([]byte, error) {
	tc, ok := c.conn.(*tls.Conn)
	if !ok {
		return nil, errors.New("client: connection is not TLS")
	}
	st := tc.ConnectionState()
	return st.ExportKeyingMaterial(api.TLSExporterLabel, nil, api.TLSExporterLength)
}

// challenge fetches a server-key challenge and checks the server's proof:
// it holds the private key of ch.PublicKey and is the peer of this TLS
// connection. When wantKey is not "", the key must be wantKey.
func (c *Client) challenge(ctx context.Context, wantKey string) (ch api.ServerKeyChallenge, binding []byte, err error) {
	if err := c.Call(ctx, api.MethodServerKeyChallenge, nil, &ch); err != nil {
		return ch, nil, err
	}
	if len(ch.Nonce) < 16 {
		return ch, nil, fmt.Errorf("client: the server sent a %d-byte challenge; want at least 16", len(ch.Nonce))
	}
	if binding, err = c.ChannelBinding(); err != nil {
		return ch, nil, err
	}
	if wantKey != "" && ch.PublicKey != wantKey {
		return ch, nil, &ServerKeyError{Addr: c.addr, Want: wantKey, Got: ch.PublicKey}
	}
	pub, err := api.ParseServerKey(ch.PublicKey)
	if err != nil {
		return ch, nil, fmt.Errorf("client: the server's key: %w", err)
	}
	if !ed25519.Verify(pub, api.ReceiverProofMessage(ch.Nonce, binding, ch.ServerUID, ch.PublicKey), ch.Proof) {
		return ch, nil, &ServerKeyError{Addr: c.addr, Want: ch.PublicKey, Got: ch.PublicKey, BadProof: true}
	}
	return ch, binding, nil
}

// ServerKeyError says the server is not the one expected.
type ServerKeyError struct {
	Addr, Want, Got string
	BadProof        bool // the server could not prove it holds the key
}

func (e *ServerKeyError) Error() string {
	if e.BadProof {
		return fmt.Sprintf("the server at %s cannot prove it holds the key %s", e.Addr, e.Want)
	}
	return fmt.Sprintf("the server at %s has the key %s, not the expected %s", e.Addr, e.Got, e.Want)
}

// VerifyServerKey checks that the server at the other end of this
// connection holds the private key of wantKey (its getServerInfo publicKey).
func (c *Client) VerifyServerKey(ctx context.Context, wantKey string) error {
	_, _, err := c.challenge(ctx, wantKey)
	return err
}

// AuthServerKey logs this connection in as a sending server: it fetches a
// challenge and answers it with a signature by priv bound to this TLS
// connection. The receiving server must have authorised the public key.
// With wantKey set, the server must first prove it holds that key.
func (c *Client) AuthServerKey(ctx context.Context, priv ed25519.PrivateKey, wantKey string) error {
	if len(priv) != ed25519.PrivateKeySize {
		return errors.New("client: AuthServerKey needs an ed25519 private key")
	}
	ch, binding, err := c.challenge(ctx, wantKey)
	if err != nil {
		return err
	}
	key := api.FormatServerKey(priv.Public().(ed25519.PublicKey))
	sig := ed25519.Sign(priv, api.ServerKeyAuthMessage(ch.Nonce, binding, ch.ServerUID, key))
	return c.Call(ctx, api.MethodAuthServerKey, map[string]string{
		"clientPublicKey": key, "signature": base64.StdEncoding.EncodeToString(sig),
	}, nil)
}
