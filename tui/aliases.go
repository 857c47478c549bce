package tui

import "github.com/jetstream-go/jetstream/tui/common"

// The TUI's interfaces and their value types, defined in tui/common so that
// the screens can use them without importing this package.
type (
	// Client is one connected server as the TUI sees it.
	Client = common.Client
	// EventStream is a live event subscription.
	EventStream = common.EventStream
	// EventFilter selects event log entries.
	EventFilter = common.EventFilter
	// LocalFS is the local pane's file system.
	LocalFS = common.LocalFS
	// Entry is one directory entry.
	Entry = common.Entry
	// Location is a saved or typed-in server.
	Location = common.Location
	// LocationStore loads and saves locations.
	LocationStore = common.LocationStore
	// Connector opens Clients.
	Connector = common.Connector
	// ConnectorFunc adapts a function to Connector.
	ConnectorFunc = common.ConnectorFunc
	// ConnectRequest is one connection attempt.
	ConnectRequest = common.ConnectRequest
	// TransferSpec describes a transfer to queue.
	TransferSpec = common.TransferSpec
	// TransferFile is one file of a TransferSpec.
	TransferFile = common.TransferFile
	// Direction is the way a transfer goes.
	Direction = common.Direction
	// TransferAction is suspend, resume or cancel.
	TransferAction = common.TransferAction
)

// Directions and actions.
const (
	Upload         = common.Upload
	Download       = common.Download
	RemoteToRemote = common.RemoteToRemote
	ActionSuspend  = common.ActionSuspend
	ActionResume   = common.ActionResume
	ActionCancel   = common.ActionCancel
)
