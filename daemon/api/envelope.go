package api

import "encoding/json"

// Request is one API call on the wire.
type Request struct {
	ID         int64           `json:"id"`
	Request    string          `json:"request"`
	Parameters json.RawMessage `json:"parameters,omitempty"`
}

// Response statuses.
const (
	StatusSuccess = "success"
	StatusError   = "error"
)

// Response answers the Request with the same ID. Error responses carry a
// stable Code next to the human Message.
type Response struct {
	ID         int64           `json:"id"`
	Status     string          `json:"status"`
	Message    string          `json:"message,omitempty"`
	Code       ErrorCode       `json:"code,omitempty"`
	Result     json.RawMessage `json:"result,omitempty"`
	APIVersion int             `json:"apiVersion"`
	// Event is set (and Status empty) on lines streamed for a watch request.
	Event *Event `json:"event,omitempty"`
}

// Event is one entry of the event stream and of the event log. Name and
// Timestamp are the product's "_event" and "_timestamp" keys; the remaining
// keys depend on the event.
type Event struct {
	Seq       uint64         `json:"_seq,omitempty"`
	Name      string         `json:"_event"`
	Timestamp int64          `json:"_timestamp"`
	Fields    map[string]any `json:"-"`
}

// MarshalJSON flattens Fields next to the underscore keys.
func (e Event) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, len(e.Fields)+3)
	for k, v := range e.Fields {
		m[k] = v
	}
	m["_event"] = e.Name
	m["_timestamp"] = e.Timestamp
	if e.Seq != 0 {
		m["_seq"] = e.Seq
	}
	return json.Marshal(m)
}

// UnmarshalJSON splits the underscore keys from the event's own fields.
func (e *Event) UnmarshalJSON(b []byte) error {
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*e = Event{Fields: map[string]any{}}
	for k, v := range m {
		switch k {
		case "_event":
			e.Name, _ = v.(string)
		case "_timestamp":
			f, _ := v.(float64)
			e.Timestamp = int64(f)
		case "_seq":
			f, _ := v.(float64)
			e.Seq = uint64(f)
		default:
			e.Fields[k] = v
		}
	}
	return nil
}

// WatchParams are the parameters of the "watch" request. Events lists event
// names to receive ("" or empty = all). "transferProgress" events are sent
// every IntervalMillis (default 1000) for active transfers.
type WatchParams struct {
	Events         []string `json:"events,omitempty"`
	IntervalMillis int      `json:"intervalMillis,omitempty"`
}
