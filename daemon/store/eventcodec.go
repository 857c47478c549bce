package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
)

// storedEvent is the JSON form of an event in the _events bucket; the key is
// the big-endian sequence number.
type storedEvent struct {
	Owner  string          `json:"o,omitempty"`
	Name   string          `json:"n"`
	Time   int64           `json:"t"`
	Fields json.RawMessage `json:"f,omitempty"`
}

func encodeEvent(owner, name string, ts int64, fields map[string]any) ([]byte, error) {
	se := storedEvent{Owner: owner, Name: name, Time: ts}
	if len(fields) > 0 {
		raw, err := json.Marshal(fields)
		if err != nil {
			return nil, fmt.Errorf("store: event %s: encode fields: %w", name, err)
		}
		se.Fields = raw
	}
	return json.Marshal(se)
}

// decodeEvent parses one stored event. It rejects anything AppendEvent could
// not have written, so a damaged record is reported instead of misread.
func decodeEvent(key, val []byte) (Event, error) {
	if len(key) != 8 {
		return Event{}, fmt.Errorf("store: event key of %d bytes, want 8", len(key))
	}
	seq := binary.BigEndian.Uint64(key)
	var se storedEvent
	if err := json.Unmarshal(val, &se); err != nil {
		return Event{}, fmt.Errorf("store: event %d: %w", seq, err)
	}
	if se.Name == "" {
		return Event{}, fmt.Errorf("store: event %d: no name", seq)
	}
	ev := Event{Seq: seq, Owner: se.Owner, Name: se.Name, Timestamp: se.Time}
	if len(se.Fields) > 0 && !bytes.Equal(se.Fields, []byte("null")) {
		dec := json.NewDecoder(bytes.NewReader(se.Fields))
		dec.UseNumber()
		if err := dec.Decode(&ev.Fields); err != nil {
			return Event{}, fmt.Errorf("store: event %d fields: %w", seq, err)
		}
		if dec.More() {
			return Event{}, fmt.Errorf("store: event %d fields: %w", seq, errors.New("trailing data"))
		}
	}
	return ev, nil
}

func seqKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

// timeKey is the time-index key: the timestamp with its sign bit flipped (so
// negative times sort first) followed by the sequence number.
func timeKey(ts int64, seq uint64) []byte {
	k := binary.BigEndian.AppendUint64(make([]byte, 0, 16), uint64(ts)^(1<<63))
	return binary.BigEndian.AppendUint64(k, seq)
}

func timeOf(k []byte) int64 { return int64(binary.BigEndian.Uint64(k) ^ (1 << 63)) }
