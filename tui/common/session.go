package common

// Session is one connected server.
type Session struct {
	Key      string // unique label (the location's Label)
	Location Location
	Password string // kept in memory only, for server-to-server transfers
	Client   Client
}

// Side is a browser pane.
type Side int

// Pane sides.
const (
	Left Side = iota
	Right
)

// String names the side.
func (s Side) String() string {
	if s == Left {
		return "left"
	}
	return "right"
}

// ConnectedMsg reports a new (or reused) session to show in a pane.
type ConnectedMsg struct {
	Session *Session
	Side    Side
	Reused  bool   // the session was already open
	Notice  string // e.g. the TLS first-use pin notice
}

// UseLocalMsg asks for the local file system in a pane.
type UseLocalMsg struct{ Side Side }

// SessionEndedMsg reports that a session's connection failed for good.
type SessionEndedMsg struct {
	Key string
	Err error
}
