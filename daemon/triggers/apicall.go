package triggers

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// MaxJSONArg bounds the command and result arguments of an API command
// trigger. A larger document (a huge fileMappings parameter, a long listing)
// is replaced by {"_truncated":true,"_bytes":N} so that the trigger still runs
// (Linux refuses a single argument over 128 KiB).
const MaxJSONArg = 64 << 10

// ForAPICall is the on.<command> trigger for one processed API command.
// command is the method's wire name ("send.createTransfer"; server methods
// unprefixed); the caller must have resolved it against the method table, as
// a name from the network must never become a file name unchecked.
// params and result are the request's parameters and the response's result
// as JSON (nil or empty when absent). The arguments are the product's four:
//
//	$1 {"request": command, "parameters": params}   (secrets redacted)
//	$2 status ("success" or "error")
//	$3 message
//	$4 result JSON, "null" when there is none        (secrets redacted)
//
// ok is false when command is empty or on.<command> is not a valid trigger
// name.
func ForAPICall(command string, params json.RawMessage, status, message string, result json.RawMessage) (c Call, ok bool) {
	name := APIPrefix + command
	if command == "" || !ValidName(name) {
		return Call{}, false
	}
	p := jsonArg(params, "{}")
	var cmd bytes.Buffer
	cmd.WriteString(`{"request":`)
	writeString(&cmd, command)
	cmd.WriteString(`,"parameters":`)
	cmd.Write(p)
	cmd.WriteByte('}')
	return Call{Name: name, Args: []string{
		cmd.String(),
		cleanArg(status),
		cleanArg(message),
		string(jsonArg(result, "null")),
	}}, true
}

// jsonArg redacts and compacts doc for use as an argument; empty is
// ifEmpty, malformed is null and oversized is a truncation marker.
func jsonArg(doc json.RawMessage, ifEmpty string) []byte {
	if len(bytes.TrimSpace(doc)) == 0 {
		return []byte(ifEmpty)
	}
	out, err := redactJSON(doc)
	if err != nil {
		return []byte("null")
	}
	if len(out) > MaxJSONArg {
		return []byte(`{"_truncated":true,"_bytes":` + strconv.Itoa(len(out)) + `}`)
	}
	return out
}

// cleanArg makes s safe as a process argument: exec refuses NUL bytes, so
// they become U+FFFD.
func cleanArg(s string) string {
	if strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(s, "\x00", "\uFFFD")
}
