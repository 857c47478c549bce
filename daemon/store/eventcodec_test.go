package store

import (
	"math"
	"testing"
)

func TestTimeKeyOrder(t *testing.T) {
	times := []int64{math.MinInt64, -1 << 40, -1, 0, 1, 1 << 40, math.MaxInt64}
	for i := 1; i < len(times); i++ {
		a, b := timeKey(times[i-1], math.MaxUint64), timeKey(times[i], 0)
		if string(a) >= string(b) {
			t.Errorf("timeKey(%d) does not sort before timeKey(%d)", times[i-1], times[i])
		}
		if got := timeOf(b); got != times[i] {
			t.Errorf("timeOf(timeKey(%d)) = %d", times[i], got)
		}
	}
}

func TestDecodeEventRejects(t *testing.T) {
	key := seqKey(3)
	for _, tc := range []struct {
		name string
		key  []byte
		val  string
	}{
		{"short key", []byte{1, 2}, `{"n":"x","t":1}`},
		{"not json", key, `{"n":`},
		{"no name", key, `{"t":1}`},
		{"fields not object", key, `{"n":"x","t":1,"f":[1]}`},
		{"wrong type", key, `{"n":1,"t":1}`},
	} {
		if _, err := decodeEvent(tc.key, []byte(tc.val)); err == nil {
			t.Errorf("%s: decoded", tc.name)
		}
	}
	ev, err := decodeEvent(key, []byte(`{"n":"x","t":-5,"f":null}`))
	if err != nil || ev.Seq != 3 || ev.Timestamp != -5 || ev.Fields != nil {
		t.Errorf("null fields: %+v %v", ev, err)
	}
}

func FuzzDecodeEvent(f *testing.F) {
	good, _ := encodeEvent("alice", "transferUpdated", 1485547708422759, map[string]any{"transferId": "t1", "n": 3})
	for _, s := range []string{string(good), `{"n":"x","t":1}`, `{"o":"","n":"e","t":-1,"f":{}}`, `{"n":"x","f":[]}`, `null`, ``, `{"n":"x","t":1e999}`} {
		f.Add(seqKey(1), []byte(s))
	}
	f.Fuzz(func(t *testing.T, key, val []byte) {
		ev, err := decodeEvent(key, val)
		if err != nil {
			return
		}
		// Whatever decodes re-encodes and decodes to the same event.
		raw, err := encodeEvent(ev.Owner, ev.Name, ev.Timestamp, ev.Fields)
		if err != nil {
			t.Fatalf("re-encode %+v: %v", ev, err)
		}
		ev2, err := decodeEvent(key, raw)
		if err != nil || ev2.Name != ev.Name || ev2.Owner != ev.Owner || ev2.Timestamp != ev.Timestamp || ev2.Seq != ev.Seq || len(ev2.Fields) != len(ev.Fields) {
			t.Fatalf("round trip: %+v -> %+v, %v", ev, ev2, err)
		}
	})
}
