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
}

func newSession(s *Server, remote net.Addr) *session {
	return &session{srv: s, remote: remote}
}

// login records a successful authentication; the sandbox is fixed now (new
// mappings apply to new logins only, as documented).
func (ss *session) login(p auth.Principal, sb *fsops.Sandbox) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.user = &p
	ss.superuser = false
	ss.sandbox = sb
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
