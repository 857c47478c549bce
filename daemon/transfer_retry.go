package daemon

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/net/engine"
)

// Retry policy of an interrupted send-side transfer: the receiving daemon
// restarted, its host or the network went away. Each new attempt asks for a
// new ticket with the same transfer key, so the receiver resumes from its
// checkpoint and acknowledged data is not sent again.
const (
	retryFirst  = 500 * time.Millisecond
	retryMax    = 15 * time.Second
	retryGiveUp = 15 * time.Minute // of failed attempts in a row without a data session
)

// errReceiverLost stops a session whose receiving daemon's API connection broke.
var errReceiverLost = &engine.Error{Code: engine.CodePeerTimeout, Msg: "lost the API connection to the receiving server"}

// run executes a send-side transfer, retrying after transient failures until
// it ends, fails for good, or ctx is cancelled.
func (x *transfers) run(ctx context.Context, j *job) error {
	backoff := retryFirst
	var carried api.Transfer
	var failingSince time.Time
	for {
		x.mu.Lock()
		j.stats = nil
		x.mu.Unlock()
		err := x.runOnce(ctx, j, carried)
		if err == nil || ctx.Err() != nil || !retryable(err) {
			return err
		}
		x.mu.Lock()
		stats := j.stats
		x.mu.Unlock()
		if stats != nil { // a data session ran: count its traffic, start afresh
			carried = sentSoFar(stats())
			failingSince, backoff = time.Time{}, retryFirst
		}
		if failingSince.IsZero() {
			failingSince = time.Now()
		}
		if time.Since(failingSince) > retryGiveUp {
			return fmt.Errorf("%w (gave up after retrying for %v)", err, retryGiveUp)
		}
		x.srv.log.Warn("transfer interrupted; retrying", "transfer", j.id, "in", backoff, "err", err)
		x.noteRetry(j.id, fmt.Sprintf("interrupted, retrying in %v: %v", backoff, err))
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, retryMax)
	}
}

// noteRetry shows why an active transfer is retrying in its errorMessage
// (its status stays active); "" clears the note once data flows again.
func (x *transfers) noteRetry(id, msg string) {
	_, _, err := x.xfers.update(id, func(t *api.Transfer) bool {
		if t.Status != api.TransferActive || msg == "" && t.ErrorMessage == nil {
			return false
		}
		if msg == "" {
			t.ErrorMessage = nil
		} else {
			t.ErrorMessage = &msg
		}
		return true
	})
	if err != nil {
		x.srv.log.Warn("cannot record the retry state", "transfer", id, "err", err)
	}
}

// retryable reports whether err is transient: the receiving daemon could not
// be reached or stopped answering.
func retryable(err error) bool {
	var ce *client.ConnectError
	if errors.As(err, &ce) || errors.Is(err, client.ErrClosed) {
		return true
	}
	var ee *engine.Error
	return errors.As(err, &ee) && ee.Code == engine.CodePeerTimeout
}

// sentSoFar keeps the traffic counters that add up across attempts.
func sentSoFar(t api.Transfer) api.Transfer {
	return api.Transfer{BytesSent: t.BytesSent, BlocksSent: t.BlocksSent, BlocksRetransmitted: t.BlocksRetransmitted,
		PacketsSent: t.PacketsSent, PacketsRecv: t.PacketsRecv, BytesRecv: t.BytesRecv}
}

// withCarried adds the traffic of earlier attempts to a session's counters.
func withCarried(t, c api.Transfer) api.Transfer {
	t.BytesSent += c.BytesSent
	t.BlocksSent += c.BlocksSent
	t.BlocksRetransmitted += c.BlocksRetransmitted
	t.PacketsSent += c.PacketsSent
	t.PacketsRecv += c.PacketsRecv
	t.BytesRecv += c.BytesRecv
	return t
}
