package daemon

import (
	"errors"
	"sync"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/net/engine"
)

// liveSessions maps transfer keys to the receive sessions running for them.
type liveSessions struct {
	mu    sync.Mutex
	byKey map[string]liveSession
}

type liveSession struct {
	owner string
	sess  *engine.Session
}

// errSuperseded stops a receive session whose sender reconnected.
var errSuperseded = errors.New("the sender reconnected; this session was replaced by a new one")

// supersede stops the session running for key, if any, and waits until it
// has checkpointed. Another user's key is refused.
func (l *liveSessions) supersede(key, owner string) error {
	l.mu.Lock()
	old, ok := l.byKey[key]
	l.mu.Unlock()
	if !ok {
		return nil
	}
	if old.owner != owner {
		return api.Errorf(api.CodeInvalidParameter, "transferKey is in use by another user's transfer")
	}
	old.sess.Close(errSuperseded)
	l.untrack(old.sess)
	return nil
}

// track records sess as the session for key.
func (l *liveSessions) track(key, owner string, sess *engine.Session) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byKey == nil {
		l.byKey = map[string]liveSession{}
	}
	l.byKey[key] = liveSession{owner: owner, sess: sess}
}

// untrack forgets sess (when it is still the one recorded).
func (l *liveSessions) untrack(sess *engine.Session) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for k, v := range l.byKey {
		if v.sess == sess {
			delete(l.byKey, k)
			return
		}
	}
}
