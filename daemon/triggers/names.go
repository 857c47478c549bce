package triggers

import "strings"

// Trigger names (file names in the trigger directory): the product's six,
// then the failure and send-side completion triggers added by this
// implementation, then the prefix of the API command triggers.
const (
	Launch                   = "launch"
	SendDestinationCreated   = "send.destinationCreated"
	SendDestinationDeleted   = "send.destinationDeleted"
	RecvTransferStarted      = "recv.transferStarted"
	RecvTransferComplete     = "recv.transferComplete"
	RecvTransferCompleteJSON = "recv.transferComplete.json"

	RecvTransferFailed   = "recv.transferFailed"
	SendTransferComplete = "send.transferComplete"
	SendTransferFailed   = "send.transferFailed"

	// APIPrefix starts the name of every API command trigger: on.<command>.
	APIPrefix = "on."
)

// MaxNameLen bounds a trigger name (a file name on every common file system).
const MaxNameLen = 255

// ValidName reports whether name may be used as a trigger file name: it starts
// with an ASCII letter and has only ASCII letters, digits, '.', '_' and '-',
// at most MaxNameLen bytes. Such a name can never be a path: it has no
// separator and is never "." or "..".
func ValidName(name string) bool {
	if name == "" || len(name) > MaxNameLen {
		return false
	}
	if c := name[0]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
		return false
	}
	return strings.IndexFunc(name, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '.' || r == '_' || r == '-')
	}) < 0
}
