package daemon

import (
	"context"
	"errors"
	"fmt"

	"github.com/jetstream-go/jetstream/daemon/client"
)

// loginToReceiver logs the API connection to a destination's daemon in:
// with the destination's user name and password when it has them, else by
// proving this server's key (the receiver must have authorised it with
// recv.addAuthorizedClientAsync; a fresh receiver trusts no key).
//
// With destinationPublicKey set, the receiver must first prove it holds
// that key on this very TLS connection, before any credential is sent.
func (x *transfers) loginToReceiver(ctx context.Context, cl *client.Client, d destRec) error {
	if want := d.DestinationPublicKey; want != "" && (d.UserName != "" || d.Token != "") {
		if err := cl.VerifyServerKey(ctx, want); err != nil {
			return fmt.Errorf("destination %s: %w", d.DestinationAddress, err)
		}
	}
	switch {
	case d.UserName != "":
		if err := cl.Auth(ctx, d.UserName, d.Password); err != nil {
			return fmt.Errorf("log in to %s as %s: %w", d.DestinationAddress, d.UserName, err)
		}
		return nil
	case d.Token != "":
		if err := cl.Call(ctx, "authToken", map[string]string{"token": d.Token, "password": d.Password}, nil); err != nil {
			return fmt.Errorf("log in to %s with a token: %w", d.DestinationAddress, err)
		}
		return nil
	}
	if err := cl.AuthServerKey(ctx, x.srv.id.priv, d.DestinationPublicKey); err != nil {
		var ke *client.ServerKeyError
		if errors.As(err, &ke) {
			return fmt.Errorf("destination %s: %w", d.DestinationAddress, err)
		}
		return fmt.Errorf("the receiving server %s did not accept this server's key %s (without userName and password the receiver must authorise the key with recv.addAuthorizedClientAsync): %w",
			d.DestinationAddress, x.srv.publicKey(), err)
	}
	return nil
}
