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

// AuthServerKey logs this connection in as a sending server: it fetches a
// challenge and answers it with a signature by priv bound to this TLS
// connection. The receiving server must have authorised the public key.
func (c *Client) AuthServerKey(ctx context.Context, priv ed25519.PrivateKey) error {
	if len(priv) != ed25519.PrivateKeySize {
		return errors.New("client: AuthServerKey needs an ed25519 private key")
	}
	var ch api.ServerKeyChallenge
	if err := c.Call(ctx, api.MethodServerKeyChallenge, nil, &ch); err != nil {
		return err
	}
	if len(ch.Nonce) < 16 {
		return fmt.Errorf("client: the server sent a %d-byte challenge; want at least 16", len(ch.Nonce))
	}
	binding, err := c.ChannelBinding()
	if err != nil {
		return err
	}
	key := api.FormatServerKey(priv.Public().(ed25519.PublicKey))
	sig := ed25519.Sign(priv, api.ServerKeyAuthMessage(ch.Nonce, binding, ch.ServerUID, key))
	return c.Call(ctx, api.MethodAuthServerKey, map[string]string{
		"clientPublicKey": key, "signature": base64.StdEncoding.EncodeToString(sig),
	}, nil)
}
