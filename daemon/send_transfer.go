package daemon

import (
	"context"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
)

const defaultCheckpointSeconds = 10

func (s *Server) registerTransferMethods(r routes) {
	x := s.xfer
	r["send.createTransfer"] = func(c *call) (any, error) {
		d, err := x.destFor(c, c.p.str("destinationId"))
		if err != nil {
			return nil, err
		}
		m, err := x.manifestFor(c, c.p.str("manifestId"))
		if err != nil {
			return nil, err
		}
		if m.Status == api.ManifestError {
			return nil, api.Errorf(api.CodeConflict, "send.createTransfer: manifest %s failed: %s", m.ManifestID, deref(m.ErrorMessage))
		}
		if err := checkRates(c.p); err != nil {
			return nil, err
		}
		ow := int(c.p.int("overwrite", api.OverwriteAlways))
		if ow < 0 || ow > 5 {
			return nil, c.p.invalid("overwrite", "must be 0-5, got %d", ow)
		}
		mc := int(c.p.int("minCipher", api.CipherAES128))
		if mc < 0 || mc > 3 {
			return nil, c.p.invalid("minCipher", "must be 0-3, got %d", mc)
		}
		flags := int(c.p.int("transferFlags", api.TransferFlagsDefault))
		if flags < 0 || flags > 3 {
			return nil, c.p.invalid("transferFlags", "must be 0-3, got %d", flags)
		}
		cp := int(c.p.int("checkpointFrequencySeconds", defaultCheckpointSeconds))
		if cp < 1 || cp > 86400 {
			return nil, c.p.invalid("checkpointFrequencySeconds", "must be 1-86400, got %d", cp)
		}
		var ud map[string]any
		if err := c.p.decode("userData", &ud); err != nil {
			return nil, err
		}
		now := time.Now().UnixMicro()
		t := api.Transfer{
			TransferID: randomHex(16), DestinationID: d.DestinationID, ManifestID: m.ManifestID,
			DestinationPath: c.p.str("destinationPath"), Status: api.TransferPending, Processing: true,
			Priority: int(c.p.int("priority", api.DefaultPriority)), CheckpointFrequencySeconds: cp, Overwrite: ow, MinCipher: mc,
			TransferFlags: flags, SendRateMax: c.p.float("sendRateMax", d.SendRateMax), MinRate: c.p.float("minRate", d.MinRate),
			Policy: orDefault(c.p.str("policy"), d.Policy), RequestTime: now, QueueTime: &now, SnapshotTime: now,
			Owner: c.sess.userName(), UserData: ud,
		}
		if err := fixedNeedsRate(c.p, t.Policy, t.SendRateMax); err != nil {
			return nil, err
		}
		if m.TotalSize != nil {
			t.TotalBytes, t.TotalFiles = *m.TotalSize, *m.TotalFiles
		}
		if err := x.xfers.put(t.TransferID, t); err != nil {
			return nil, err
		}
		s.bus.emit(t.Owner, "transferCreated", map[string]any{"transferId": t.TransferID, "destinationId": t.DestinationID, "manifestId": t.ManifestID})
		x.kick()
		return t, nil
	}
	r["send.getTransfer"] = func(c *call) (any, error) {
		t, err := x.transferFor(c)
		return t, err
	}
	r["send.getTransfers"] = func(c *call) (any, error) {
		var out []api.Transfer
		for _, t := range x.xfers.list(func(t *api.Transfer) bool { return c.sess.canSee(t.Owner) }) {
			out = append(out, x.live(t))
		}
		return map[string]any{"transfers": nonNil(out)}, nil
	}
	r["send.suspendTransfer"] = func(c *call) (any, error) {
		return x.stop(c, api.TransferSuspended, "suspended by "+c.sess.userName(), api.TransferPending, api.TransferActive)
	}
	r["send.cancelTransfer"] = func(c *call) (any, error) {
		return x.stop(c, api.TransferCancelled, "cancelled by "+c.sess.userName(), api.TransferPending, api.TransferActive, api.TransferSuspended, api.TransferError)
	}
	r["send.failTransfer"] = func(c *call) (any, error) {
		msg := orDefault(c.p.str("message"), "failed by "+c.sess.userName())
		return x.stop(c, api.TransferError, msg, api.TransferActive, api.TransferPending, api.TransferSuspended)
	}
	r["send.resumeTransfer"] = func(c *call) (any, error) {
		t, err := x.transferFor(c)
		if err != nil {
			return nil, err
		}
		if t.Status != api.TransferSuspended && t.Status != api.TransferError {
			return nil, api.Errorf(api.CodeConflict, "send.resumeTransfer: transfer %s is %s; only suspended or failed transfers resume", t.TransferID, t.Status)
		}
		t, _, err = x.xfers.update(t.TransferID, func(t *api.Transfer) bool {
			t.Status, t.Processing, t.ErrorMessage, t.EndTime = api.TransferPending, true, nil, nil
			return true
		})
		s.bus.emit(t.Owner, "transferUpdated", map[string]any{"transferId": t.TransferID, "status": t.Status})
		x.kick()
		return t, err
	}
	r["send.setTransferPriority"] = func(c *call) (any, error) { return x.setPriority(c) }
	r["send.deleteTransfer"] = func(c *call) (any, error) {
		t, err := x.transferFor(c)
		if err != nil {
			return nil, err
		}
		if t.Status == api.TransferActive || t.Status == api.TransferPending {
			return nil, api.Errorf(api.CodeConflict, "send.deleteTransfer: transfer %s is %s; cancel it first", t.TransferID, t.Status)
		}
		_, err = x.xfers.del(t.TransferID)
		return nil, err
	}
	r["send.setSendRateAsync"] = func(c *call) (any, error) {
		if err := checkRates(c.p); err != nil {
			return nil, err
		}
		tid, did := c.p.str("transferId"), c.p.str("destinationId")
		if (tid == "") == (did == "") {
			return nil, api.Errorf(api.CodeInvalidParameter, "send.setSendRateAsync: give exactly one of transferId or destinationId")
		}
		var ids []string
		if tid != "" {
			t, err := x.transferFor(c)
			if err != nil {
				return nil, err
			}
			ids = []string{t.TransferID}
		} else {
			d, err := x.destFor(c, did)
			if err != nil {
				return nil, err
			}
			x.dests.update(did, func(dr *destRec) bool {
				dr.SendRateMax = c.p.float("sendRateMax", dr.SendRateMax)
				dr.MinRate = c.p.float("minRate", dr.MinRate)
				dr.Policy = orDefault(c.p.str("policy"), dr.Policy)
				return true
			})
			for _, t := range x.xfers.list(func(t *api.Transfer) bool { return t.DestinationID == d.DestinationID }) {
				ids = append(ids, t.TransferID)
			}
		}
		p := c.p
		return c.async(func(context.Context) (any, error) {
			for _, id := range ids {
				t, _, err := x.xfers.update(id, func(t *api.Transfer) bool {
					t.SendRateMax = p.float("sendRateMax", t.SendRateMax)
					t.MinRate = p.float("minRate", t.MinRate)
					t.Policy = orDefault(p.str("policy"), t.Policy)
					return true
				})
				if err != nil {
					return nil, err
				}
				x.mu.Lock()
				var setRate func(float64, float64, string) error
				if j := x.running[id]; j != nil {
					setRate = j.setRate
				}
				x.mu.Unlock()
				if setRate != nil {
					if err := setRate(t.MinRate, t.SendRateMax, t.Policy); err != nil {
						return nil, api.Errorf(api.CodeInvalidParameter, "setSendRateAsync: %v", err)
					}
				}
			}
			return nil, nil
		})
	}
	r["send.updateObjectUserData"] = func(c *call) (any, error) { return x.userData(c, false) }
	r["send.deleteObjectUserData"] = func(c *call) (any, error) { return x.userData(c, true) }
}

func (x *transfers) transferFor(c *call) (api.Transfer, error) {
	id := c.p.str("transferId")
	t, ok := x.xfers.get(id)
	if !ok || !c.sess.canSee(t.Owner) {
		return api.Transfer{}, api.Errorf(api.CodeNotFound, "transfer %q not found", id)
	}
	return x.live(t), nil
}

// stop moves a transfer to status (suspended, cancelled, error) when it is in
// one of from, stopping its session when it runs.
func (x *transfers) stop(c *call, status, msg string, from ...string) (any, error) {
	t, err := x.transferFor(c)
	if err != nil {
		return nil, err
	}
	ok := false
	for _, f := range from {
		ok = ok || t.Status == f
	}
	if !ok {
		return nil, api.Errorf(api.CodeConflict, "%s: transfer %s is %s", c.p.method.Name, t.TransferID, t.Status)
	}
	x.mu.Lock()
	j := x.running[t.TransferID]
	x.mu.Unlock()
	if j != nil {
		j.cancel(&stopCause{status: status, msg: msg})
		return nil, nil // runJob records the status
	}
	end := time.Now().UnixMicro()
	t, _, err = x.xfers.update(t.TransferID, func(t *api.Transfer) bool {
		t.Status, t.Processing = status, false
		if status != api.TransferSuspended {
			t.EndTime = &end
			t.ErrorMessage = &msg
		}
		return true
	})
	x.srv.bus.emit(t.Owner, "transferUpdated", map[string]any{"transferId": t.TransferID, "status": status})
	if status == api.TransferError {
		x.srv.bus.emit(t.Owner, "transferFailed", map[string]any{"transferId": t.TransferID, "owner": t.Owner, "errorMessage": msg})
	}
	return nil, err
}

// userData merges (or deletes) userData keys on a destination, manifest or
// transfer the caller owns.
func (x *transfers) userData(c *call, del bool) (any, error) {
	id := c.p.str("objectId")
	var ud map[string]any
	var keys []string
	if err := c.p.decode("userData", &ud); err != nil {
		return nil, err
	}
	if err := c.p.decode("keys", &keys); err != nil {
		return nil, err
	}
	apply := func(m map[string]any) map[string]any {
		if del {
			if !c.p.has("keys") {
				return nil
			}
			for _, k := range keys {
				delete(m, k)
			}
			return m
		}
		if m == nil {
			m = map[string]any{}
		}
		for k, v := range ud {
			m[k] = v
		}
		return m
	}
	if t, ok := x.xfers.get(id); ok && c.sess.canSee(t.Owner) {
		_, _, err := x.xfers.update(id, func(t *api.Transfer) bool { t.UserData = apply(t.UserData); return true })
		return nil, err
	}
	if m, ok := x.manifests.get(id); ok && c.sess.canSee(m.Owner) {
		_, _, err := x.manifests.update(id, func(m *api.Manifest) bool { m.UserData = apply(m.UserData); return true })
		return nil, err
	}
	if d, ok := x.dests.get(id); ok && c.sess.canSee(d.Owner) {
		_, _, err := x.dests.update(id, func(d *destRec) bool { d.UserData = apply(d.UserData); return true })
		return nil, err
	}
	return nil, api.Errorf(api.CodeNotFound, "%s: no destination, manifest or transfer %q", c.p.method.Name, id)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
