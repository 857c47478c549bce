package common

import "context"

// ConnectRequest is one attempt to open a Client for a location.
type ConnectRequest struct {
	Location Location
	Password string
	// OnPin is called when the server's TLS certificate is pinned for the
	// first time (trust on first use), so that the TUI can tell the user.
	OnPin func(addr, fingerprint, file string)
}

// Connector opens authenticated Clients. The real one dials
// daemon/client; tests inject fakes.
type Connector interface {
	Connect(ctx context.Context, req ConnectRequest) (Client, error)
}

// ConnectorFunc adapts a function to Connector.
type ConnectorFunc func(ctx context.Context, req ConnectRequest) (Client, error)

// Connect calls f.
func (f ConnectorFunc) Connect(ctx context.Context, req ConnectRequest) (Client, error) {
	return f(ctx, req)
}
