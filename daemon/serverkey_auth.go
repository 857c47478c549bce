package daemon

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
)

// keyChallengeTTL bounds how long a server-key challenge can be answered.
const keyChallengeTTL = time.Minute

// keyChallenge is an outstanding nonce of one connection; it is used once.
type keyChallenge struct {
	nonce   []byte
	expires time.Time
}

// keySessionMethods are what a sending server logged in by its key may call
// besides the methods that need no login: it came to deliver files.
var keySessionMethods = map[string]bool{
	"recv.createTicket": true,
	"echo":              true,
}

func (s *Server) registerServerKeyMethods(r routes) {
	r[api.MethodServerKeyChallenge] = func(c *call) (any, error) {
		nonce := make([]byte, 32)
		if _, err := rand.Read(nonce); err != nil {
			return nil, err
		}
		c.sess.mu.Lock()
		c.sess.challenge = &keyChallenge{nonce: nonce, expires: time.Now().Add(keyChallengeTTL)}
		binding := c.sess.binding
		c.sess.mu.Unlock()
		// The proof shows the sender that this server holds its key and
		// ends this TLS connection (checked against destinationPublicKey).
		key := s.publicKey()
		proof := ed25519.Sign(s.id.priv, api.ReceiverProofMessage(nonce, binding, s.uid, key))
		return api.ServerKeyChallenge{Nonce: nonce, ServerUID: s.uid, PublicKey: key, Proof: proof}, nil
	}
	r[api.MethodAuthServerKey] = func(c *call) (any, error) {
		return nil, s.authServerKey(c.sess, c.p.str("clientPublicKey"), c.p.str("signature"))
	}
}

// authServerKey checks a sending server's answer to the session's
// challenge and logs the session in as the user its authorised-client
// entry names. Every refusal is CodeAuthFailed with its reason, also in an
// authFailed event and the log.
func (s *Server) authServerKey(ss *session, key, sigText string) error {
	ss.mu.Lock()
	ch, binding := ss.challenge, ss.binding
	ss.challenge = nil // one answer per challenge, right or wrong
	ss.mu.Unlock()
	remote := ss.remote.String()
	refuse := func(why string) error {
		s.log.Info("server-key authentication refused", "remote", remote, "key", key, "reason", why)
		s.bus.emit("", "authFailed", map[string]any{"clientPublicKey": key, "remote": remote, "method": "serverKey", "reason": why})
		return api.Errorf(api.CodeAuthFailed, "authServerKey: %s", why)
	}
	if ch == nil || time.Now().After(ch.expires) {
		return refuse("no valid challenge on this connection: call " + api.MethodServerKeyChallenge + " first")
	}
	if len(binding) == 0 {
		return refuse("this connection has no TLS channel binding")
	}
	pub, err := api.ParseServerKey(key)
	if err != nil {
		return refuse(err.Error())
	}
	sig, err := base64.StdEncoding.DecodeString(sigText)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return refuse("the signature is not a base64 ed25519 signature")
	}
	if !ed25519.Verify(pub, api.ServerKeyAuthMessage(ch.nonce, binding, s.uid, key), sig) {
		return refuse("bad signature")
	}
	ac, ok, err := s.authorizedClient(key)
	if err != nil {
		return err
	}
	if !ok {
		return refuse("this server key is not authorised here (recv.addAuthorizedClientAsync)")
	}
	p, err := s.auth.Lookup(ac.UserName)
	if err != nil {
		return refuse("the authorised account is unusable: " + err.Error())
	}
	if err := s.ensureSandboxRoots(p); err != nil {
		s.log.Warn("cannot create the user's sandbox root", "user", p.Name, "err", err)
	}
	sb, err := s.sandboxFor(p.Name)
	if err != nil {
		return api.Errorf(api.CodeInternal, "authServerKey: the sandbox of %q is invalid: %v", p.Name, err)
	}
	ss.loginAs(p, sb, key)
	s.bus.emit(p.Name, "authSucceeded", map[string]any{"userName": p.Name, "remote": remote, "method": "serverKey", "clientPublicKey": key})
	return nil
}

// authorizedClient returns the entry for key.
func (s *Server) authorizedClient(key string) (authorizedClient, bool, error) {
	var ac authorizedClient
	ok, err := s.store.Get(clientsBucket, key, &ac)
	return ac, ok, err
}

// keySessionAllowed refuses methods a key-authenticated session may not
// call: everything that needs a login except keySessionMethods.
func keySessionAllowed(ss *session, m api.Method) error {
	if m.NoAuth || keySessionMethods[m.Name] || ss.viaServerKey() == "" {
		return nil
	}
	return api.Errorf(api.CodePermissionDenied, "%s: a sending server logged in by its key may only send files (recv.createTicket)", m.Name)
}
