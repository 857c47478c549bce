package tuitest

import (
	"context"
	"sync"

	"github.com/jetstream-go/jetstream/tui/common"
)

// Store is an in-memory LocationStore.
type Store struct {
	mu    sync.Mutex
	Locs  []common.Location
	Err   error // returned by Load and Save when set
	Saves int
}

var _ common.LocationStore = (*Store)(nil)

// Load implements LocationStore.
func (s *Store) Load() ([]common.Location, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return nil, s.Err
	}
	return append([]common.Location(nil), s.Locs...), nil
}

// Save implements LocationStore.
func (s *Store) Save(locs []common.Location) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return s.Err
	}
	s.Locs = append([]common.Location(nil), locs...)
	s.Saves++
	return nil
}

// Saved returns the saved locations.
func (s *Store) Saved() []common.Location {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]common.Location(nil), s.Locs...)
}

// Path implements LocationStore.
func (s *Store) Path() string { return "/home/test/.config/jetstream/config.toml" }

// Connector hands out fake clients by location label.
type Connector struct {
	mu       sync.Mutex
	Clients  map[string]*Client
	Password string // required password ("" = any)
	Pin      string // fingerprint reported through OnPin on the first connection
	Err      error  // returned by every Connect when set
	Requests []common.ConnectRequest
}

// Connect implements common.Connector.
func (c *Connector) Connect(_ context.Context, req common.ConnectRequest) (common.Client, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.Requests = append(c.Requests, req)
	if c.Err != nil {
		return nil, c.Err
	}
	if c.Password != "" && req.Password != c.Password {
		return nil, authFailed
	}
	cl, ok := c.Clients[req.Location.Label()]
	if !ok {
		return nil, unreachable(req.Location.Label())
	}
	if c.Pin != "" && req.OnPin != nil {
		host, port := req.Location.Dial()
		req.OnPin(hostPort(host, port), c.Pin, "/home/test/.config/jetstream/known_hosts")
		c.Pin = ""
	}
	return cl, nil
}
