package engine

import (
	"io"
	"time"

	"github.com/jetstream-go/jetstream/net/wire"
)

// Sink is the receiving side's file store.
type Sink interface {
	// Load returns the saved state of transferKey, or nil when there is none.
	Load(transferKey string) (*Checkpoint, error)
	// Save durably stores cp (called every CheckpointEvery after the data it
	// describes was synced).
	Save(cp *Checkpoint) error
	// Discard removes the saved state after a complete transfer.
	Discard(transferKey string) error
	// Open prepares f for writing; resume keeps data saved by an earlier session.
	// An error fails this file only (unless its code is disk_full).
	Open(transferKey string, f FileMeta, resume bool) (SinkFile, error)
	// MakeDir creates the empty directory f and returns its host path.
	MakeDir(f FileMeta) (string, error)
	// CheckpointEvery is the checkpoint interval; 0 disables checkpoints.
	CheckpointEvery() time.Duration
	// NoWrite reports that data is discarded (transfer flag): nothing is hashed.
	NoWrite() bool
}

// SinkFile is one file being received.
type SinkFile interface {
	io.WriterAt
	io.ReaderAt
	Sync() error
	// Commit syncs and closes the file, applies the overwrite mode, the file mode and
	// mtime, and returns the final host path.
	Commit() (string, error)
	// Abort closes the file and removes the partial data unless keep is set.
	Abort(keep bool) error
}

// Checkpoint is a receiver's saved state of one transfer.
type Checkpoint struct {
	TransferKey string
	BlockSize   uint32
	ChunkBlocks uint32
	Files       []CheckpointFile
}

// CheckpointFile is the saved state of one file; block numbers are file relative.
type CheckpointFile struct {
	Index    uint64
	Path     string
	Size     uint64
	Mtime    int64
	Done     bool   // committed or failed for good
	Code     string // failure code when Done and failed
	Msg      string
	HostPath string
	Ranges   []wire.Range
	Own      []wire.Digest // digests of chunks the receiver has hashed
	Sender   []wire.Digest // digests the sender announced
}
