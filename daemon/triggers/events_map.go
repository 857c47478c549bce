package triggers

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// Daemon bus events that start triggers (the contract with the daemon's
// transfer and destination code). Their fields are documented on ForEvent.
const (
	EventServerStarted        = "serverStarted"
	EventDestinationCreated   = "destinationCreated"
	EventDestinationDeleted   = "destinationDeleted"
	EventRecvTransferStarted  = "recvTransferStarted"
	EventRecvTransferComplete = "recvTransferComplete"
	EventRecvTransferFailed   = "recvTransferFailed"
	EventTransferComplete     = "transferComplete"
	EventTransferFailed       = "transferFailed"
)

// ForEvent returns the triggers that the daemon event name with fields
// starts, in the order they run (none for other events):
//
//	serverStarted {apiPort}                          → launch port
//	destinationCreated {destinationAddress, clientAddress}
//	                                                 → send.destinationCreated destination client
//	destinationDeleted (same fields)                 → send.destinationDeleted destination client
//	recvTransferStarted {transferId, userName, metadata}
//	                                                 → recv.transferStarted id user, stdin metadata JSON
//	                                                   (with inputFiles, outputFiles and userData always present)
//	recvTransferComplete {transferId, userName, token, files: [{inputPath, outputPath}], userData}
//	                                                 → recv.transferComplete id user [token], stdin "input\toutput" lines
//	                                                   recv.transferComplete.json id user [token], stdin JSON
//	recvTransferFailed {transferId, userName, errorMessage}
//	                                                 → recv.transferFailed id user message
//	transferComplete {transferId, owner}             → send.transferComplete id owner
//	transferFailed {transferId, owner, errorMessage} → send.transferFailed id owner message
//
// The token argument is passed only when a token authorised the transfer, so
// that the product's two-argument example scripts keep working. A missing
// field is an empty argument. A file whose paths hold a tab, a line break or
// a NUL byte cannot be written as a line and appears only in the JSON forms.
func ForEvent(name string, fields map[string]any) []Call {
	if _, ok := eventTriggers[name]; !ok {
		return nil
	}
	f := plain(fields)
	switch name {
	case EventServerStarted:
		return []Call{{Name: Launch, Args: []string{str(f, "apiPort")}}}
	case EventDestinationCreated:
		return []Call{{Name: SendDestinationCreated, Args: []string{str(f, "destinationAddress"), str(f, "clientAddress")}}}
	case EventDestinationDeleted:
		return []Call{{Name: SendDestinationDeleted, Args: []string{str(f, "destinationAddress"), str(f, "clientAddress")}}}
	case EventRecvTransferStarted:
		var meta any = transferMeta(f)
		if m, ok := f["metadata"].(map[string]any); ok {
			// The daemon's own metadata, with the documented keys always
			// present (the file lists are empty while they are unknown).
			for k, v := range map[string]any{"inputFiles": []any{}, "outputFiles": []any{}, "userData": map[string]any{}} {
				if m[k] == nil {
					m[k] = v
				}
			}
			meta = m
		}
		return []Call{{Name: RecvTransferStarted, Args: []string{str(f, "transferId"), str(f, "userName")}, Stdin: encodeJSON(meta)}}
	case EventRecvTransferComplete:
		args := []string{str(f, "transferId"), str(f, "userName")}
		if tok := str(f, "token"); tok != "" {
			args = append(args, tok)
		}
		return []Call{
			{Name: RecvTransferComplete, Args: args, Stdin: fileLines(f)},
			{Name: RecvTransferCompleteJSON, Args: args, Stdin: encodeJSON(transferMeta(f))},
		}
	case EventRecvTransferFailed:
		return []Call{{Name: RecvTransferFailed, Args: []string{str(f, "transferId"), str(f, "userName"), str(f, "errorMessage")}}}
	case EventTransferComplete:
		return []Call{{Name: SendTransferComplete, Args: []string{str(f, "transferId"), str(f, "owner")}}}
	default: // EventTransferFailed
		return []Call{{Name: SendTransferFailed, Args: []string{str(f, "transferId"), str(f, "owner"), str(f, "errorMessage")}}}
	}
}

// eventTriggers maps each daemon event to the triggers it starts.
var eventTriggers = map[string][]string{
	EventServerStarted:        {Launch},
	EventDestinationCreated:   {SendDestinationCreated},
	EventDestinationDeleted:   {SendDestinationDeleted},
	EventRecvTransferStarted:  {RecvTransferStarted},
	EventRecvTransferComplete: {RecvTransferComplete, RecvTransferCompleteJSON},
	EventRecvTransferFailed:   {RecvTransferFailed},
	EventTransferComplete:     {SendTransferComplete},
	EventTransferFailed:       {SendTransferFailed},
}

// TriggersFor returns the names of the triggers that the daemon event name
// starts (nil for none), so that a caller can skip building the calls when
// none of them exists (see Runner.Exists).
func TriggersFor(event string) []string {
	return append([]string(nil), eventTriggers[event]...)
}

// plain returns fields as plain JSON values (string, float64, bool, nil,
// []any, map[string]any), whatever Go types the emitter used.
func plain(fields map[string]any) map[string]any {
	b, err := json.Marshal(fields)
	if err != nil {
		return map[string]any{}
	}
	var out map[string]any
	if json.Unmarshal(b, &out) != nil || out == nil {
		return map[string]any{}
	}
	return out
}

// str renders field k as one argument: strings as they are, numbers in
// integer form where they are integers, anything else as JSON; missing or
// null is "".
func str(f map[string]any, k string) string {
	switch v := f[k].(type) {
	case nil:
		return ""
	case string:
		return cleanArg(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return cleanArg(string(encodeJSON(v)))
	}
}

// transferFile is one {inputPath, outputPath} entry of a completed transfer.
type transferFile struct{ in, out string }

func files(f map[string]any) []transferFile {
	list, _ := f["files"].([]any)
	out := make([]transferFile, 0, len(list))
	for _, e := range list {
		m, _ := e.(map[string]any)
		in, _ := m["inputPath"].(string)
		o, _ := m["outputPath"].(string)
		out = append(out, transferFile{in, o})
	}
	return out
}

// fileLines is recv.transferComplete's stdin: "input\toutput\n" per file.
func fileLines(f map[string]any) []byte {
	var b bytes.Buffer
	for _, tf := range files(f) {
		if strings.ContainsAny(tf.in, "\t\r\n\x00") || strings.ContainsAny(tf.out, "\t\r\n\x00") {
			continue
		}
		b.WriteString(tf.in)
		b.WriteByte('\t')
		b.WriteString(tf.out)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// transferMetaDoc is the documented Transfer Meta Data, keys in the
// documented order.
type transferMetaDoc struct {
	InputFiles  []string       `json:"inputFiles"`
	OutputFiles []string       `json:"outputFiles"`
	UserData    map[string]any `json:"userData"`
}

func transferMeta(f map[string]any) transferMetaDoc {
	d := transferMetaDoc{InputFiles: []string{}, OutputFiles: []string{}, UserData: map[string]any{}}
	for _, tf := range files(f) {
		d.InputFiles = append(d.InputFiles, tf.in)
		d.OutputFiles = append(d.OutputFiles, tf.out)
	}
	if ud, ok := f["userData"].(map[string]any); ok {
		d.UserData = ud
	}
	return d
}

// encodeJSON is compact JSON without HTML escaping ("null" if v cannot be
// encoded, which plain values never are).
func encodeJSON(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if enc.Encode(v) != nil {
		return []byte("null")
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
