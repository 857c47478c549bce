package daemon

import (
	"context"
	"sync"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/store"
)

// transfers owns destinations, manifests and send-side transfers, and runs
// each destination's queue: one active transfer per destination, the
// lowest priority number first (100 before 120, as the product), then the
// oldest.
type transfers struct {
	srv       *Server
	manifests *objects[api.Manifest]
	files     *objects[manifestFiles]
	dests     *objects[destRec]
	xfers     *objects[api.Transfer]

	mu      sync.Mutex
	running map[string]*job // by transfer id
	wake    chan struct{}
	done    chan struct{}
}

// job is one running transfer.
type job struct {
	id      string
	cancel  context.CancelCauseFunc
	stats   func() api.Transfer // live counters (nil until the session runs)
	setRate func(minKbps, maxKbps float64, policy string) error
}

// errSuspended etc. are the causes a job is stopped with.
type stopCause struct{ status, msg string }

func (c *stopCause) Error() string { return c.msg }

func newTransfers(s *Server, st *store.Store) (*transfers, error) {
	x := &transfers{srv: s, running: map[string]*job{}, wake: make(chan struct{}, 1), done: make(chan struct{})}
	var err error
	if x.manifests, err = loadObjects[api.Manifest](st, "manifests"); err != nil {
		return nil, err
	}
	if x.files, err = loadObjects[manifestFiles](st, "manifestFiles"); err != nil {
		return nil, err
	}
	if x.dests, err = loadObjects[destRec](st, "destinations"); err != nil {
		return nil, err
	}
	if x.xfers, err = loadObjects[api.Transfer](st, "transfers"); err != nil {
		return nil, err
	}
	// After a restart (or kill -9) active transfers continue from their save
	// point; manifests that were being built are marked failed.
	for _, t := range x.xfers.list(func(t *api.Transfer) bool { return t.Status == api.TransferActive }) {
		x.xfers.update(t.TransferID, func(t *api.Transfer) bool { t.Status, t.Processing = api.TransferPending, true; return true })
	}
	for _, m := range x.manifests.list(func(m *api.Manifest) bool { return m.Processing }) {
		msg := "the server stopped while the manifest was being built; create it again"
		x.manifests.update(m.ManifestID, func(m *api.Manifest) bool {
			m.Processing, m.Status, m.ErrorMessage = false, api.ManifestError, &msg
			return true
		})
	}
	return x, nil
}

func (x *transfers) kick() {
	select {
	case x.wake <- struct{}{}:
	default:
	}
}

// schedule starts queued transfers until the server stops.
func (x *transfers) schedule(ctx context.Context) {
	defer close(x.done)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		x.startReady(ctx)
		select {
		case <-ctx.Done():
			x.mu.Lock()
			for _, j := range x.running {
				j.cancel(context.Canceled)
			}
			x.mu.Unlock()
			return
		case <-x.wake:
		case <-tick.C:
		}
	}
}

func (x *transfers) startReady(ctx context.Context) {
	x.mu.Lock()
	defer x.mu.Unlock()
	busy := map[string]bool{}
	for id := range x.running {
		if t, ok := x.xfers.get(id); ok {
			busy[t.DestinationID] = true
		}
	}
	best := map[string]api.Transfer{}
	for _, t := range x.xfers.list(func(t *api.Transfer) bool { return t.Status == api.TransferPending }) {
		if busy[t.DestinationID] {
			continue
		}
		b, ok := best[t.DestinationID]
		if !ok || t.Priority < b.Priority || t.Priority == b.Priority && t.RequestTime < b.RequestTime {
			best[t.DestinationID] = t
		}
	}
	for _, t := range best {
		jctx, cancel := context.WithCancelCause(ctx)
		j := &job{id: t.TransferID, cancel: cancel}
		x.running[t.TransferID] = j
		x.srv.goWorker(func() { x.runJob(jctx, j) }) // lifecycle.go: Shutdown waits for it
	}
}

// runJob runs one transfer to its end and records the outcome.
func (x *transfers) runJob(ctx context.Context, j *job) {
	now := time.Now().UnixMicro()
	t, _, _ := x.xfers.update(j.id, func(t *api.Transfer) bool {
		t.Status, t.Processing = api.TransferActive, true
		if t.StartTime == nil {
			t.StartTime = &now
		}
		return true
	})
	x.srv.bus.emit(t.Owner, "transferUpdated", map[string]any{"transferId": t.TransferID, "status": api.TransferActive})
	err := x.run(ctx, j)
	x.mu.Lock()
	delete(x.running, j.id)
	x.mu.Unlock()
	status, msg := api.TransferComplete, ""
	if err != nil {
		status, msg = api.TransferError, err.Error()
		if sc, ok := context.Cause(ctx).(*stopCause); ok {
			status, msg = sc.status, sc.msg
		} else if ctx.Err() != nil {
			// Server shutting down: pick up again at the next start.
			status, msg = api.TransferPending, ""
		}
	}
	end := time.Now().UnixMicro()
	t, _, _ = x.xfers.update(j.id, func(t *api.Transfer) bool {
		if j.stats != nil {
			copyCounters(t, j.stats())
		}
		t.Status, t.Processing = status, status == api.TransferPending
		t.SnapshotTime = end
		if msg != "" {
			t.ErrorMessage = &msg
		} else {
			t.ErrorMessage = nil
		}
		if status == api.TransferComplete || status == api.TransferError || status == api.TransferCancelled {
			t.EndTime = &end
		}
		return true
	})
	fields := map[string]any{"transferId": t.TransferID, "status": status, "owner": t.Owner}
	if msg != "" {
		fields["errorMessage"] = msg
	}
	x.srv.bus.emit(t.Owner, "transferUpdated", fields)
	switch status {
	case api.TransferComplete:
		x.srv.bus.emit(t.Owner, "transferComplete", fields)
	case api.TransferError:
		x.srv.bus.emit(t.Owner, "transferFailed", fields)
	}
	x.kick()
}

// copyCounters copies live counters into the stored record.
func copyCounters(dst *api.Transfer, src api.Transfer) {
	dst.TotalBlocks, dst.TotalBytes = src.TotalBlocks, src.TotalBytes
	dst.BlocksSent, dst.BlocksAcked, dst.BlocksRetransmitted = src.BlocksSent, src.BlocksAcked, src.BlocksRetransmitted
	dst.BytesSent, dst.BytesAcked, dst.BytesRecv = src.BytesSent, src.BytesAcked, src.BytesRecv
	dst.PacketsSent, dst.PacketsRecv = src.PacketsSent, src.PacketsRecv
	dst.FilesDone, dst.FilesFailed = src.FilesDone, src.FilesFailed
	dst.CurrentRate, dst.RoundTripTimeMs, dst.CurrentFile = src.CurrentRate, src.RoundTripTimeMs, src.CurrentFile
}

// live returns the transfer with live counters when it runs.
func (x *transfers) live(t api.Transfer) api.Transfer {
	x.mu.Lock()
	var stats func() api.Transfer
	if j := x.running[t.TransferID]; j != nil {
		stats = j.stats
	}
	x.mu.Unlock()
	if stats != nil {
		copyCounters(&t, stats())
		t.SnapshotTime = time.Now().UnixMicro()
	}
	return t
}

func (x *transfers) transferUsing(manifestID string) string {
	for _, t := range x.xfers.list(func(t *api.Transfer) bool { return t.ManifestID == manifestID }) {
		return t.TransferID
	}
	return ""
}

func (x *transfers) activeOn(destID string) string {
	for _, t := range x.xfers.list(func(t *api.Transfer) bool {
		return t.DestinationID == destID && (t.Status == api.TransferActive || t.Status == api.TransferPending)
	}) {
		return t.TransferID
	}
	return ""
}

// decorate adds queue counts to a destination.
func (x *transfers) decorate(d destRec) api.Destination {
	out := d.public()
	out.NumTransfersQueued = len(x.xfers.list(func(t *api.Transfer) bool {
		return t.DestinationID == d.DestinationID && t.Status == api.TransferPending
	}))
	return out
}

func (x *transfers) connection(d destRec) api.Connection {
	c := api.Connection{Destination: x.decorate(d), RateControlMethod: d.Policy}
	if id := x.activeOn(d.DestinationID); id != "" {
		if t, ok := x.xfers.get(id); ok {
			t = x.live(t)
			c.RateControllerActive = t.Status == api.TransferActive
			c.RoundTripTimeMs, c.CurrentRate = t.RoundTripTimeMs, t.CurrentRate
		}
	}
	return c
}

// collect drops finished transfers and unused manifests past the grace period.
func (x *transfers) collect(now time.Time, grace time.Duration) int {
	n := 0
	cut := now.Add(-grace).UnixMicro()
	for _, t := range x.xfers.list(func(t *api.Transfer) bool {
		return t.EndTime != nil && *t.EndTime <= cut
	}) {
		if ok, _ := x.xfers.del(t.TransferID); ok {
			n++
		}
	}
	for _, m := range x.manifests.list(func(m *api.Manifest) bool { return !m.Processing && m.CreationTime <= cut }) {
		if x.transferUsing(m.ManifestID) == "" {
			x.manifests.del(m.ManifestID)
			x.files.del(m.ManifestID)
			n++
		}
	}
	return n
}
