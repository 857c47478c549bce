package browser

import (
	"github.com/jetstream-go/jetstream/tui/common"
)

// listedMsg carries a directory listing for a pane.
type listedMsg struct {
	side       common.Side
	gen        int
	dir        string
	entries    []common.Entry
	err        error
	selectName string // put the cursor here after loading
}

// duMsg carries the result of a disk usage request.
type duMsg struct {
	seq   int
	total int64
	items int
	err   error
}

// opDoneMsg reports a finished file operation.
type opDoneMsg struct {
	what       string
	err        error
	reload     []common.Side
	selectName string // entry to select in the active pane after reload
}

// destListedMsg carries the destination listing used to find conflicts.
type destListedMsg struct {
	seq     int
	entries []common.Entry
	err     error
}

// QueuedMsg reports a transfer queued from the browser. The root model
// passes it on to the transfers screen.
type QueuedMsg struct {
	SessionKey string
	ID         string
	Files      int
	Direction  common.Direction
	Err        error
}
