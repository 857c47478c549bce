package transfers

import (
	"encoding/json"
	"maps"
	"math"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/tui/common"
	"github.com/jetstream-go/jetstream/tui/components/sparkline"
)

// historyLen is how many rate samples a row keeps.
const historyLen = 120

// row is one transfer as shown.
type row struct {
	session *common.Session
	t       api.Transfer
	hist    *sparkline.History
}

func (r *row) key() string { return r.session.Key + "\x00" + r.t.TransferID }

// done is the number of bytes known to have arrived.
func done(t api.Transfer) int64 {
	if t.Status == api.TransferComplete && t.TotalBytes > 0 {
		return t.TotalBytes
	}
	return max(t.BytesAcked, t.BytesRecv, 0)
}

// retransmitPercent is the share of sent blocks that were re-sends.
func retransmitPercent(t api.Transfer) float64 {
	if t.BlocksSent <= 0 || t.BlocksRetransmitted <= 0 {
		return 0
	}
	p := float64(t.BlocksRetransmitted) / float64(t.BlocksSent) * 100
	if math.IsNaN(p) || math.IsInf(p, 0) {
		return 0
	}
	return min(p, 100)
}

// statusRank orders rows: running work first.
func statusRank(s string) int {
	switch s {
	case api.TransferActive:
		return 0
	case api.TransferPending:
		return 1
	case api.TransferSuspended:
		return 2
	case api.TransferError:
		return 3
	}
	return 4
}

// ProgressEventName is the event the daemon streams for active transfers.
const ProgressEventName = "transferProgress"

// applyEvent merges the Transfer fields an event carries into t. It
// reports false when the event is not about t or does not decode: nothing
// a server sends can corrupt the row or panic.
func applyEvent(t *api.Transfer, ev api.Event) bool {
	id, _ := ev.Fields["transferId"].(string)
	if id == "" || id != t.TransferID {
		return false
	}
	b, err := json.Marshal(ev.Fields)
	if err != nil {
		return false
	}
	next := *t
	next.UserData = maps.Clone(t.UserData) // a failed decode must not touch t
	if err := json.Unmarshal(b, &next); err != nil {
		return false
	}
	next.TransferID = t.TransferID
	*t = next
	return true
}

// transferOf decodes a whole Transfer from an event (for a transfer not
// seen yet); ok is false when the event carries no transferId.
func transferOf(ev api.Event) (api.Transfer, bool) {
	id, _ := ev.Fields["transferId"].(string)
	if id == "" {
		return api.Transfer{}, false
	}
	t := api.Transfer{TransferID: id}
	return t, applyEvent(&t, ev)
}
