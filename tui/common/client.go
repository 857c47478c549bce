package common

import (
	"context"

	"github.com/jetstream-go/jetstream/daemon/api"
)

// Client is what the TUI needs from one connected JetStream server. It is
// satisfied by the adapter over *client.Client (tui.ClientAdapter) and by
// fakes in tests. Every method must be safe for concurrent use: the TUI calls
// them from tea.Cmd goroutines.
type Client interface {
	// LsRoots lists the roots of the user's sandbox (lsRootsAsync).
	LsRoots(ctx context.Context) (api.LsResult, error)
	// Ls lists a directory (lsAsync).
	Ls(ctx context.Context, path string) (api.LsResult, error)
	// Du is the total size of the files under path (duAsync).
	Du(ctx context.Context, path string) (int64, error)
	// Mkdir creates a directory and its parents (mkdirAsync).
	Mkdir(ctx context.Context, path string) error
	// Mv moves or renames a path (mvAsync).
	Mv(ctx context.Context, path, newPath string) error
	// Rm removes a path, directories recursively (rmAsync).
	Rm(ctx context.Context, path string) error
	// ServerInfo is the Server Information Structure.
	ServerInfo(ctx context.Context) (api.ServerInfo, error)
	// EventLog returns logged events, oldest first (getEventLog).
	EventLog(ctx context.Context, f EventFilter) ([]api.Event, error)
	// Watch subscribes to live events; nil or empty names means all.
	Watch(ctx context.Context, names []string) (EventStream, error)
	// Transfers lists the transfers visible to the user.
	Transfers(ctx context.Context) ([]api.Transfer, error)
	// TransferAction suspends, resumes or cancels a transfer.
	TransferAction(ctx context.Context, action TransferAction, id string) error
	// SetPriority changes the queue priority of a transfer (lower numbers run first).
	SetPriority(ctx context.Context, id string, priority int) error
	// ManifestFiles lists the files of a manifest (transfer details).
	ManifestFiles(ctx context.Context, manifestID string) ([]api.FileMapping, error)
	// StartTransfer queues an upload, download or server-to-server
	// transfer and returns its transfer id.
	StartTransfer(ctx context.Context, spec TransferSpec) (id string, err error)
	// Close ends the connection.
	Close() error
}

// EventStream is a live event subscription (*client.Watcher satisfies it).
type EventStream interface {
	// Next blocks until the next event, the stream's end or ctx's end.
	Next(ctx context.Context) (api.Event, error)
	// Close ends the subscription.
	Close() error
}

// EventFilter selects entries of the event log (all zero = everything).
type EventFilter struct {
	Name   string // only this event name
	After  int64  // only events after this time, Unix µs (0 = no bound)
	Before int64  // only events before this time, Unix µs (0 = no bound)
	Limit  int    // at most this many, the newest (0 = server default)
}

// TransferAction is an action on a queued or running transfer.
type TransferAction string

// Transfer actions, named like the API methods they map to.
const (
	ActionSuspend TransferAction = "suspend"
	ActionResume  TransferAction = "resume"
	ActionCancel  TransferAction = "cancel"
)

// Direction tells which way a queued transfer goes.
type Direction int

// Transfer directions.
const (
	// Upload sends local files to the server StartTransfer is called on.
	Upload Direction = iota + 1
	// Download fetches files of the server StartTransfer is called on to the
	// local machine.
	Download
	// RemoteToRemote makes the server StartTransfer is called on send its
	// files to TransferSpec.Destination.
	RemoteToRemote
)

// String names the direction for messages.
func (d Direction) String() string {
	switch d {
	case Upload:
		return "upload"
	case Download:
		return "download"
	case RemoteToRemote:
		return "server-to-server"
	}
	return "unknown"
}

// TransferFile maps one source path to its target path.
type TransferFile struct {
	// Source is the full path on the sending side (a local path for
	// uploads, a server path otherwise).
	Source string
	// Target is the path relative to TransferSpec.DestDir, using "/".
	Target string
}

// TransferSpec describes a transfer to queue. The destination is fixed when
// the transfer is queued: DestDir is the receiving pane's directory then.
type TransferSpec struct {
	Direction Direction
	Files     []TransferFile
	// DestDir is the directory the targets are written under (a local
	// directory for downloads, a server path otherwise).
	DestDir string
	// Overwrite is the overwrite mode (api.Overwrite*). The TUI resolves
	// conflicts before queuing, so it asks for api.OverwriteAlways when the
	// user chose to overwrite and api.OverwriteNever otherwise.
	Overwrite int
	// Destination is the receiving server of a RemoteToRemote transfer.
	Destination *Location
	// DestinationPassword authenticates Destination.User on it.
	DestinationPassword string
	// Priority is the initial queue priority (higher runs first).
	Priority int
}
