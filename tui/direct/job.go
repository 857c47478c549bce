package direct

import (
	"context"
	"path"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/tui/common"
)

// ManifestPrefix starts the manifest id of direct transfers' rows: the
// details pane asks ManifestFiles for it, which Client answers from the
// transfer's spec.
const ManifestPrefix = "direct:"

// job is one direct transfer. Its fields are guarded by Client.mu.
type job struct {
	id        string
	spec      common.TransferSpec
	cancel    context.CancelFunc
	requested time.Time
	started   time.Time // first progress report (zero before)
	ended     time.Time // zero while running
	status    string
	errMsg    string
	cancelled bool // the user cancelled it
	policy    string
	cipher    int
	p         Progress
	meter     rateMeter
	rate      float64   // kbit/s
	snap      time.Time // time of the last report
}

func (j *job) running() bool { return j.ended.IsZero() }

// report takes a progress reading.
func (j *job) report(now time.Time, p Progress) {
	if !j.running() {
		return // a late report after the end must not revive the row
	}
	if j.started.IsZero() {
		j.started = now
		j.status = api.TransferActive
	}
	j.p = p
	j.rate = j.meter.add(now, p.BytesDone)
	j.snap = now
}

// finish records the end of the transfer.
func (j *job) finish(now time.Time, err error) {
	j.ended, j.snap, j.rate = now, now, 0
	switch {
	case j.cancelled:
		j.status = api.TransferCancelled
	case err != nil:
		j.status, j.errMsg = api.TransferError, err.Error()
	default:
		j.status = api.TransferComplete
		j.p.BytesDone = max(j.p.BytesDone, j.p.TotalBytes)
		j.p.BlocksAcked = max(j.p.BlocksAcked, j.p.TotalBlocks)
	}
}

// transfer is the row the transfers view shows.
func (j *job) transfer() api.Transfer {
	t := api.Transfer{
		TransferID:          j.id,
		ManifestID:          ManifestPrefix + j.id,
		DestinationPath:     j.spec.DestDir,
		Status:              j.status,
		Priority:            j.spec.Priority,
		Overwrite:           j.spec.Overwrite,
		Policy:              j.policy,
		MinCipher:           j.cipher,
		TotalBytes:          j.p.TotalBytes,
		TotalFiles:          j.p.TotalFiles,
		TotalBlocks:         j.p.TotalBlocks,
		BlocksAcked:         j.p.BlocksAcked,
		BlocksSent:          j.p.BlocksSent,
		BlocksRetransmitted: j.p.BlocksRetransmitted,
		BytesSent:           j.p.BytesSent,
		PacketsSent:         j.p.PacketsSent,
		PacketsRecv:         j.p.PacketsRecv,
		FilesDone:           j.p.FilesDone,
		FilesFailed:         j.p.FilesFailed,
		CurrentRate:         j.rate,
		RoundTripTimeMs:     float64(j.p.RTT) / float64(time.Millisecond),
		CurrentFile:         j.p.CurrentFile,
		RequestTime:         j.requested.UnixMicro(),
		SnapshotTime:        j.snap.UnixMicro(),
		UserData:            map[string]any{"direction": j.spec.Direction.String()},
	}
	if j.spec.Direction == common.Upload {
		t.BytesAcked = j.p.BytesDone
	} else {
		t.BytesRecv = j.p.BytesDone
	}
	if !j.started.IsZero() {
		t.StartTime = ptr(j.started.UnixMicro())
	}
	if !j.ended.IsZero() {
		t.EndTime = ptr(j.ended.UnixMicro())
	}
	if j.errMsg != "" {
		t.ErrorMessage = ptr(j.errMsg)
	}
	return t
}

// files are the transfer's top-level items as file mappings.
func (j *job) files() []api.FileMapping {
	out := make([]api.FileMapping, 0, len(j.spec.Files))
	for _, f := range j.spec.Files {
		out = append(out, api.FileMapping{SrcPath: f.Source, DestPath: joinDest(j.spec, f.Target)})
	}
	if len(out) == 1 {
		out[0].FileSize = j.p.TotalBytes // one item: its size is the transfer's
	}
	return out
}

// joinDest is where a target lands, for display.
func joinDest(s common.TransferSpec, target string) string { return path.Join(s.DestDir, target) }

func ptr[T any](v T) *T { return &v }
