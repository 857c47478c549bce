package daemon

import (
	"math"

	"github.com/jetstream-go/jetstream/daemon/api"
)

// setPriority implements send.setTransferPriority: the caller's transfer
// (or any, for a superuser) gets a new priority, which re-orders its
// destination's queue at the next scheduling pass. A running transfer keeps
// running; a finished one cannot change.
func (x *transfers) setPriority(c *call) (any, error) {
	prio := c.p.int("priority", 0)
	if prio < math.MinInt32 || prio > math.MaxInt32 {
		return nil, c.p.invalid("priority", "must fit in 32 bits, got %d", prio)
	}
	t, err := x.transferFor(c)
	if err != nil {
		return nil, err
	}
	var conflict error
	changed := false
	t, found, err := x.xfers.update(t.TransferID, func(t *api.Transfer) bool {
		switch t.Status {
		case api.TransferComplete, api.TransferCancelled:
			conflict = api.Errorf(api.CodeConflict, "send.setTransferPriority: transfer %s is %s", t.TransferID, t.Status)
			return false
		}
		if t.Priority == int(prio) {
			return false
		}
		t.Priority, changed = int(prio), true
		return true
	})
	switch {
	case !found:
		return nil, api.Errorf(api.CodeNotFound, "transfer %q not found", c.p.str("transferId"))
	case conflict != nil:
		return nil, conflict
	case err != nil:
		return nil, err
	case !changed:
		return x.live(t), nil
	}
	x.srv.bus.emit(t.Owner, "transferUpdated", map[string]any{"transferId": t.TransferID, "status": t.Status, "priority": t.Priority})
	x.kick()
	return x.live(t), nil
}
