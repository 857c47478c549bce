package main

import (
	"fmt"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/net/engine"
)

// transferStats maps a daemon's Transfer to the engine's live stats so the
// printer shows server-to-server transfers like direct ones.
func transferStats(tr api.Transfer) engine.Stats {
	return engine.Stats{TotalBytes: tr.TotalBytes, TotalBlocks: tr.TotalBlocks,
		BytesSent: tr.BytesSent, BlocksSent: tr.BlocksSent, BytesAcked: tr.BytesAcked, BlocksAcked: tr.BlocksAcked,
		BlocksRetransmitted: tr.BlocksRetransmitted, PacketsSent: tr.PacketsSent, PacketsRecv: tr.PacketsRecv,
		FilesDone: tr.FilesDone, FilesFailed: tr.FilesFailed,
		RTT:  time.Duration(tr.RoundTripTimeMs * float64(time.Millisecond)),
		Rate: tr.CurrentRate * 125, CurrentFile: tr.CurrentFile}
}

// transferOutcome reports a finished server-side transfer and maps it to
// the exit status.
func transferOutcome(p *printer, tr api.Transfer, st engine.Stats) error {
	p.mu.Lock()
	p.clearLine()
	p.mu.Unlock()
	msg := ""
	if tr.ErrorMessage != nil {
		msg = *tr.ErrorMessage
	}
	switch tr.Status {
	case api.TransferComplete:
		p.summary(st, tr.FilesDone, tr.FilesFailed)
		if tr.FilesFailed > 0 && tr.FilesDone > 0 {
			return fail(exitPartial, "partial", "%d of %d files failed (transfer %s)", tr.FilesFailed, tr.FilesDone+tr.FilesFailed, tr.TransferID)
		}
		if tr.FilesFailed > 0 {
			return fail(exitError, "failed", "every file failed (transfer %s)", tr.TransferID)
		}
		return nil
	case api.TransferSuspended:
		return fail(exitInterrupted, "interrupted", "transfer %s was suspended on the server; resume it with: jetstream api send.resumeTransfer --transferId %s", tr.TransferID, tr.TransferID)
	case api.TransferCancelled:
		return fail(exitInterrupted, "interrupted", "transfer %s was cancelled on the server", tr.TransferID)
	}
	if tr.FilesDone > 0 {
		p.summary(st, tr.FilesDone, tr.FilesFailed)
		return fail(exitPartial, "partial", "transfer %s failed after %d files: %s", tr.TransferID, tr.FilesDone, msg)
	}
	return wrap(exitError, "failed", fmt.Errorf("transfer %s failed: %s", tr.TransferID, msg))
}
