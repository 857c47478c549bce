package peer

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/net/engine"
)

// startTicket sends a createTicket request that proposes the session's
// conversation id and key; daemons that take the proposal answer with it,
// older ones with their own.
func (o *Options) startTicket(method string, params map[string]any) *PendingTicket {
	var b [36]byte
	rand.Read(b[:])
	conv := binary.BigEndian.Uint32(b[:4]) | 1 // never 0
	want := engine.Ticket{Conv: conv, Key: b[4:], Cipher: engine.Cipher(o.cipher()), TransferKey: o.TransferKey}
	params["conv"], params["key"] = conv, want.Key
	send := func() *client.Pending { return o.Client.Start(method, params) }
	return &PendingTicket{pending: send(), again: send, want: want}
}

// wait reads the ticket. A daemon that does not run a login before the
// requests pipelined behind it answers "authenticate first": the request
// is then sent again, now that the login is done.
func (p *PendingTicket) wait(ctx context.Context) (api.Ticket, error) {
	var tk api.Ticket
	err := p.pending.Wait(ctx, &tk)
	if err != nil && api.CodeOf(err) == api.CodeAuthRequired {
		err = p.again().Wait(ctx, &tk)
	}
	return tk, err
}

// Transfer is a transfer under way: its ticket asked for and, when the
// daemon's UDP address could be guessed, its session already saying hello
// on the proposed ticket.
type Transfer struct {
	o      *Options
	ticket *PendingTicket
	side   func() engine.Side
	err    error

	ep      *engine.Endpoint
	closeEP func()
	early   *engine.Session // dialled on the proposal (nil: none)
	raddr   *net.UDPAddr    // where early said hello
	onEarly bool            // Wait ran the transfer on the early session
	once    sync.Once
}

// start opens the endpoint and dials the session on the proposed ticket,
// at the UDP port the daemon most likely uses: RecvPort, else the API's
// port (the product's default has both on 8886). A wrong guess costs
// nothing but the hello: Wait then connects where the ticket says.
func (o *Options) start(tk *PendingTicket, side func() engine.Side) *Transfer {
	t := &Transfer{o: o, ticket: tk, side: side}
	t.ep, t.closeEP, t.err = o.endpoint()
	if t.err != nil {
		return t
	}
	if o.TransferKey == "" {
		return t // the daemon picks the transfer key: the proposal cannot match
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	raddr, err := o.remote(ctx, o.guessRecvPort())
	if err == nil {
		t.early, _ = t.ep.Dial(raddr, tk.want, side())
		t.raddr = raddr
	}
	return t
}

// guessRecvPort is the UDP port to dial before the ticket says.
func (o *Options) guessRecvPort() int {
	if _, p, err := net.SplitHostPort(o.Client.Addr()); err == nil {
		if n, err := strconv.Atoi(p); err == nil {
			return n
		}
	}
	return api.DefaultRecvPort
}

// Wait reads the ticket and runs the transfer to its end: on the early
// session when the daemon took the proposal, else on a new one.
func (t *Transfer) Wait(ctx context.Context) (engine.Stats, error) {
	defer t.Close()
	if t.err != nil {
		return engine.Stats{}, t.err
	}
	tk, err := t.ticket.wait(ctx)
	if err == nil {
		err = engine.CheckProtocol(tk.Protocol)
	}
	if err != nil {
		return engine.Stats{}, err
	}
	sess := t.early
	t.onEarly = sess != nil && t.took(tk)
	if !t.onEarly {
		t.dropEarly()
		raddr, err := t.o.remote(ctx, tk.RecvPort)
		if err != nil {
			return engine.Stats{}, err
		}
		sess, err = t.ep.Connect(ctx, raddr, engine.Ticket{Conv: tk.Conv, Cipher: engine.Cipher(tk.Cipher), Key: tk.Key, TransferKey: tk.TransferKey}, t.side())
		if err != nil {
			return engine.Stats{}, err
		}
	}
	if t.onEarly {
		t.early = nil // Close must not end it
	}
	return t.o.follow(ctx, sess)
}

// took reports whether the daemon's ticket is the one the early session
// dialled, at the address it dialled.
func (t *Transfer) took(tk api.Ticket) bool {
	w := t.ticket.want
	port := tk.RecvPort
	if t.o.RecvPort != 0 {
		port = t.o.RecvPort
	}
	return tk.Conv == w.Conv && bytes.Equal(tk.Key, w.Key) && engine.Cipher(tk.Cipher) == w.Cipher &&
		tk.TransferKey == w.TransferKey && port == t.raddr.Port
}

// dropEarly ends the early session (it was never answered: no message).
func (t *Transfer) dropEarly() {
	if t.early != nil {
		t.early.Close(nil)
		t.early = nil
	}
}

// Close abandons a transfer that Wait will not run (Wait calls it too).
func (t *Transfer) Close() {
	t.once.Do(func() {
		t.dropEarly()
		if t.closeEP != nil {
			t.closeEP()
		}
	})
}

// follow reports progress until the session ends.
func (o *Options) follow(ctx context.Context, sess *engine.Session) (engine.Stats, error) {
	every := o.ProgressEvery
	if every <= 0 {
		every = 500 * time.Millisecond
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-sess.Done():
			st := sess.Stats()
			if o.Progress != nil {
				o.Progress(st)
			}
			return st, sess.Err()
		case <-tick.C:
			if o.Progress != nil {
				o.Progress(sess.Stats())
			}
		case <-ctx.Done():
			sess.Close(ctx.Err())
			<-sess.Done()
			return sess.Stats(), ctx.Err()
		}
	}
}
