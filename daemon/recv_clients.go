package daemon

import (
	"context"
	"encoding/json"

	"github.com/jetstream-go/jetstream/daemon/api"
)

const clientsBucket = "authorized_clients"

// authorizedClient is a sending server trusted by its public key.
type authorizedClient struct {
	PublicKey string `json:"clientPublicKey"`
	UserName  string `json:"userName"`
	AddedBy   string `json:"addedBy"`
}

// clientKeyParam accepts "key" or {"clientPublicKey": "key"}.
func clientKeyParam(p params) (string, error) {
	raw := p.rawValue("clientPublicKey")
	var k string
	if json.Unmarshal(raw, &k) != nil {
		var obj struct {
			Key string `json:"clientPublicKey"`
		}
		if err := json.Unmarshal(raw, &obj); err != nil {
			return "", p.invalid("clientPublicKey", "want a key string or {\"clientPublicKey\": key}")
		}
		k = obj.Key
	}
	if len(k) > 200 {
		return "", p.invalid("clientPublicKey", "want a server public key as shown by getServerInfo (ed25519:...), got %d bytes", len(k))
	}
	if _, err := api.ParseServerKey(k); err != nil {
		return "", p.invalid("clientPublicKey", "want a server public key as shown by getServerInfo: %v", err)
	}
	return k, nil
}

func (s *Server) registerAuthorizedClientMethods(r routes) {
	r["recv.addAuthorizedClientAsync"] = func(c *call) (any, error) {
		k, err := clientKeyParam(c.p)
		if err != nil {
			return nil, err
		}
		ac := authorizedClient{PublicKey: k, UserName: orDefault(c.p.str("userName"), c.sess.userName()), AddedBy: c.sess.userName()}
		if _, err := s.auth.Lookup(ac.UserName); err != nil {
			return nil, c.p.invalid("userName", "transfers from this key would land as %q: %v", ac.UserName, err)
		}
		return c.async(func(context.Context) (any, error) { return nil, s.store.Put(clientsBucket, k, ac) })
	}
	r["recv.removeAuthorizedClientAsync"] = func(c *call) (any, error) {
		k, err := clientKeyParam(c.p)
		if err != nil {
			return nil, err
		}
		return c.async(func(context.Context) (any, error) {
			ok, err := s.store.Delete(clientsBucket, k)
			if err == nil && !ok {
				err = api.Errorf(api.CodeNotFound, "client key %s is not authorised", k)
			}
			return nil, err
		})
	}
	r["recv.allowOnlyAuthorizedClientsAsync"] = func(c *call) (any, error) {
		v := c.p.bool("onlyAuthorizedClientsAllowed", false)
		return c.async(func(context.Context) (any, error) {
			return nil, s.store.Put(settingsBucket, "onlyAuthorizedClients", v)
		})
	}
}

func (s *Server) onlyAuthorizedClients() bool {
	var v bool
	_, _ = s.store.Get(settingsBucket, "onlyAuthorizedClients", &v)
	return v
}

// mayReceiveFrom decides whether a session may open an upload session
// (recv.createTicket). A sending server logged in by its key must still be
// authorised (a removal applies at once, also to open connections). With
// allowOnlyAuthorizedClients on, password and token logins may not upload.
func (s *Server) mayReceiveFrom(ss *session) error {
	if key := ss.viaServerKey(); key != "" {
		_, ok, err := s.authorizedClient(key)
		if err != nil {
			return err
		}
		if !ok {
			return api.Errorf(api.CodePermissionDenied, "recv.createTicket: the sending server's key %s is no longer authorised here", key)
		}
		return nil
	}
	if s.onlyAuthorizedClients() {
		return api.Errorf(api.CodePermissionDenied, "recv.createTicket: this server accepts files only from authorised sending servers (allowOnlyAuthorizedClients is on); authorise the sender's key with recv.addAuthorizedClientAsync")
	}
	return nil
}
