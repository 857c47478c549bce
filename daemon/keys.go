package daemon

import (
	"crypto/ed25519"
	"crypto/rand"
	"fmt"

	"github.com/jetstream-go/jetstream/daemon/api"
)

// identity is the daemon's persistent key pair. Receivers authorise sending
// servers by its public key (recv.addAuthorizedClientAsync).
type identity struct {
	priv ed25519.PrivateKey
}

func (s *Server) loadIdentity() error {
	var seed []byte
	ok, err := s.store.Get(settingsBucket, "identitySeed", &seed)
	if err != nil {
		return err
	}
	if !ok {
		seed = make([]byte, ed25519.SeedSize)
		if _, err := rand.Read(seed); err != nil {
			return err
		}
		if err := s.store.Put(settingsBucket, "identitySeed", seed); err != nil {
			return err
		}
	}
	if len(seed) != ed25519.SeedSize {
		return fmt.Errorf("state: the server key in %s is corrupt", s.cfg.PersistentStateDir)
	}
	s.id = identity{priv: ed25519.NewKeyFromSeed(seed)}
	return nil
}

// publicKey is the server's public key as shown in getServerInfo.
func (s *Server) publicKey() string {
	if s.id.priv == nil {
		return ""
	}
	return api.FormatServerKey(s.id.priv.Public().(ed25519.PublicKey))
}
