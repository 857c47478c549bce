package daemon

import (
	"net"
	"sync"

	"github.com/jetstream-go/jetstream/daemon/auth"
	"github.com/jetstream-go/jetstream/fsops"
)

// session is the authentication state of one API connection.
type session struct {
	srv    *Server
	remote net.Addr

	mu        sync.Mutex
	user      *auth.Principal
	superuser bool
	sandbox   *fsops.Sandbox
	// binding is the TLS exporter value of the connection (server-key auth).
	binding []byte
	// challenge is the outstanding getServerKeyChallenge nonce.
	challenge *keyChallenge
	// serverKey is set when a sending server logged in by its key: the
	// session acts as the authorised-client entry's user and may only
	// receive files (keySessionMethods).
	serverKey string
	// token is the name of the API token the session logged in with ("" for
	// a password or key login); recv triggers pass it on.
	token string
}

func newSession(s *Server, remote net.Addr) *session {
	return &session{srv: s, remote: remote}
}

// login records a successful authentication; the sandbox is fixed now (new
// mappings apply to new logins only, as documented).
func (ss *session) login(p auth.Principal, sb *fsops.Sandbox) {
	ss.loginAs(p, sb, "")
}

// loginAs is login for a session vouched for by a server key ("" = none).
func (ss *session) loginAs(p auth.Principal, sb *fsops.Sandbox, serverKey string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.user = &p
	ss.superuser = false
	ss.sandbox = sb
	ss.serverKey = serverKey
	ss.token = ""
}

// viaServerKey is the key a sending server logged in with ("" = none).
func (ss *session) viaServerKey() string {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.serverKey
}

// tokenName is the API token the session logged in with ("" = none).
func (ss *session) tokenName() string {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.token
}

func (ss *session) setBinding(b []byte) {
	ss.mu.Lock()
	ss.binding = b
	ss.mu.Unlock()
}

func (ss *session) principal() (auth.Principal, bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.user == nil {
		return auth.Principal{}, false
	}
	return *ss.user, true
}

// userName is "" before login.
func (ss *session) userName() string {
	p, _ := ss.principal()
	return p.Name
}

func (ss *session) isSuperuser() bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.superuser
}

func (ss *session) setSuperuser() {
	ss.mu.Lock()
	ss.superuser = true
	ss.mu.Unlock()
}

func (ss *session) ops() fsops.Ops {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	id := fsops.Identity{Name: ss.user.Name, UID: ss.user.UID, GID: ss.user.GID, Groups: ss.user.Groups}
	return fsops.Ops{Sandbox: ss.sandbox, ID: id}
}

// canSee reports whether this session may see an object owned by owner.
func (ss *session) canSee(owner string) bool {
	return ss.isSuperuser() || owner == ss.userName()
}
