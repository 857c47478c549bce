package daemon

import (
	"math"

	"github.com/jetstream-go/jetstream/net/engine"
)

// proposal is the conversation id and key a createTicket caller chose for
// its session (zero: none). A caller that chooses them can send its hello
// with the request, a round trip before the answer; the data endpoint holds
// that hello until the session registers.
type proposal struct {
	conv uint32
	key  []byte
}

// proposedTicket reads createTicket's optional conv and key (both or
// neither).
func proposedTicket(p params) (proposal, error) {
	hasConv, hasKey := p.has("conv"), p.has("key")
	switch {
	case !hasConv && !hasKey:
		return proposal{}, nil
	case !hasKey:
		return proposal{}, p.invalid("key", "is required with conv")
	case !hasConv:
		return proposal{}, p.invalid("conv", "is required with key")
	}
	n := p.int("conv", 0)
	if n <= 0 || n > math.MaxUint32 {
		return proposal{}, p.invalid("conv", "must be 1-%d, got %d", uint32(math.MaxUint32), n)
	}
	var key []byte
	if err := p.decode("key", &key); err != nil {
		return proposal{}, p.invalid("key", "must be 32 bytes in standard base64")
	}
	if len(key) != 32 {
		return proposal{}, p.invalid("key", "must be 32 bytes in standard base64, got %d bytes", len(key))
	}
	return proposal{conv: uint32(n), key: key}, nil
}

// acceptSession registers a createTicket's session on the data endpoint:
// under the caller's proposal when it made one and its conversation id is
// free, else under a fresh id and key (the caller then sees another conv
// in the answer and dials again).
func (s *Server) acceptSession(prop proposal, tk engine.Ticket, side engine.Side) (engine.Ticket, *engine.Session, error) {
	if prop.conv != 0 {
		tk.Conv, tk.Key = prop.conv, prop.key
		if sess, err := s.data.Accept(tk, side); err == nil {
			return tk, sess, nil
		}
	}
	tk.Conv, tk.Key = s.data.NewConv(), newSessionKey()
	sess, err := s.data.Accept(tk, side)
	return tk, sess, err
}
