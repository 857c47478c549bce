package client

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jetstream-go/jetstream/daemon/api"
)

// Pending is a request sent with Start whose answer has not been read yet.
// Requests started back to back travel in one round trip (pipelining); the
// daemon runs a session-changing call such as auth before it reads the
// requests after it, so those see its outcome.
type Pending struct {
	c      *Client
	method string
	id     int64
	ch     chan *api.Response
	err    error // the send failed
}

// Start sends one request without waiting for its answer; Wait reads it.
func (c *Client) Start(method string, params any) *Pending {
	id, ch, err := c.send(method, params)
	return &Pending{c: c, method: method, id: id, ch: ch, err: err}
}

// StartAuth is Auth as a pipelined request.
func (c *Client) StartAuth(user, password string) *Pending {
	return c.Start("auth", map[string]string{"userName": user, "password": password})
}

// WaitRaw waits for the answer and returns the raw result of a success
// response. An error response is returned as *api.Error. Ending ctx stops
// the wait (the answer, when it comes, is dropped).
func (p *Pending) WaitRaw(ctx context.Context) (json.RawMessage, error) {
	if p.err != nil {
		return nil, p.err
	}
	return p.c.await(ctx, p.id, p.ch)
}

// Wait waits for the answer and decodes its result into out (when non-nil).
func (p *Pending) Wait(ctx context.Context, out any) error {
	raw, err := p.WaitRaw(ctx)
	if err != nil {
		return err
	}
	if out == nil || len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("decode result of %s: %w", p.method, err)
	}
	return nil
}
