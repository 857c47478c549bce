package store

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// seedEvents appends events 1..n with timestamp 100*i, alternating owners
// and names, and returns them.
func seedEvents(t *testing.T, s *Store, n int) []Event {
	t.Helper()
	owners := []string{"", "alice", "bob"}
	names := []string{"serverStarted", "transferUpdated"}
	var out []Event
	for i := 1; i <= n; i++ {
		ev, err := s.AppendEvent(owners[i%3], names[i%2], int64(100*i), map[string]any{"i": i})
		if err != nil {
			t.Fatal(err)
		}
		if ev.Seq != uint64(i) {
			t.Fatalf("event %d got seq %d", i, ev.Seq)
		}
		out = append(out, ev)
	}
	return out
}

func ptr(v int64) *int64 { return &v }

func seqsOf(evs []Event) []uint64 {
	out := []uint64{}
	for _, e := range evs {
		out = append(out, e.Seq)
	}
	return out
}

func TestEventsFilter(t *testing.T) {
	s, _ := openTemp(t)
	seedEvents(t, s, 10) // seq i at time 100*i; owner i%3: 0 "", 1 alice, 2 bob; name i%2: 0 serverStarted, 1 transferUpdated
	tests := []struct {
		name string
		f    EventFilter
		want []uint64
	}{
		{"all", EventFilter{}, []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{"name", EventFilter{Name: "serverStarted"}, []uint64{2, 4, 6, 8, 10}},
		{"owner", EventFilter{Owner: "alice"}, []uint64{1, 4, 7, 10}},
		{"owner and name", EventFilter{Owner: "alice", Name: "transferUpdated"}, []uint64{1, 7}},
		{"limit keeps newest", EventFilter{Limit: 3}, []uint64{8, 9, 10}},
		{"limit over count", EventFilter{Limit: 50}, []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{"limit with name", EventFilter{Name: "serverStarted", Limit: 2}, []uint64{8, 10}},
		{"after is exclusive", EventFilter{After: ptr(300)}, []uint64{4, 5, 6, 7, 8, 9, 10}},
		{"before is exclusive", EventFilter{Before: ptr(300)}, []uint64{1, 2}},
		{"window", EventFilter{After: ptr(250), Before: ptr(650)}, []uint64{3, 4, 5, 6}},
		{"window limit", EventFilter{After: ptr(250), Before: ptr(650), Limit: 2}, []uint64{5, 6}},
		{"window name owner", EventFilter{After: ptr(0), Before: ptr(2000), Name: "transferUpdated", Owner: "bob"}, []uint64{5}},
		{"empty window", EventFilter{After: ptr(500), Before: ptr(400)}, []uint64{}},
		{"after max", EventFilter{After: ptr(math.MaxInt64)}, []uint64{}},
		{"before min", EventFilter{Before: ptr(math.MinInt64)}, []uint64{}},
		{"after seq", EventFilter{AfterSeq: 7}, []uint64{8, 9, 10}},
		{"after seq limit", EventFilter{AfterSeq: 8, Limit: 5}, []uint64{9, 10}},
		{"after seq window", EventFilter{AfterSeq: 4, Before: ptr(700)}, []uint64{5, 6}},
		{"after seq past end", EventFilter{AfterSeq: 99}, []uint64{}},
		{"unknown name", EventFilter{Name: "nope"}, []uint64{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Events(tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if gs := seqsOf(got); !reflect.DeepEqual(gs, tc.want) {
				t.Errorf("seqs %v, want %v", gs, tc.want)
			}
		})
	}
	if _, err := s.Events(EventFilter{Limit: -1}); err == nil || !strings.Contains(err.Error(), "negative") {
		t.Errorf("negative limit: %v", err)
	}
}

func TestEventsOrderIsAppendOrder(t *testing.T) {
	// Timestamps come from callers and may go backwards (clock steps); the
	// log stays in append order, and time filters still see every entry.
	s, _ := openTemp(t)
	for _, ts := range []int64{500, -20, 300, 300, math.MinInt64, math.MaxInt64} {
		if _, err := s.AppendEvent("", "e", ts, nil); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := s.Events(EventFilter{})
	if gs := seqsOf(got); !reflect.DeepEqual(gs, []uint64{1, 2, 3, 4, 5, 6}) {
		t.Errorf("order %v", gs)
	}
	got, _ = s.Events(EventFilter{After: ptr(-21), Before: ptr(501)})
	if gs := seqsOf(got); !reflect.DeepEqual(gs, []uint64{1, 2, 3, 4}) {
		t.Errorf("window %v, want [1 2 3 4]", gs)
	}
	got, _ = s.Events(EventFilter{Before: ptr(0)})
	if gs := seqsOf(got); !reflect.DeepEqual(gs, []uint64{2, 5}) {
		t.Errorf("negative times %v, want [2 5]", gs)
	}
}

func TestEventContent(t *testing.T) {
	s, _ := openTemp(t)
	fields := map[string]any{"destinationId": "127.0.0.1:8886", "bytes": int64(1<<62 + 1), "ok": true, "nested": map[string]any{"a": []any{1, "x"}}}
	ev, err := s.AppendEvent("alice", "destinationCreated", 1485547708422759, fields)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Seq != 1 || ev.Owner != "alice" || ev.Name != "destinationCreated" || ev.Timestamp != 1485547708422759 {
		t.Errorf("returned %+v", ev)
	}
	if _, err := s.AppendEvent("", "serverStarted", 5, nil); err != nil {
		t.Fatal(err)
	}
	got, err := s.Events(EventFilter{})
	if err != nil || len(got) != 2 {
		t.Fatalf("Events: %v %v", got, err)
	}
	// Numbers come back exactly, as json.Number.
	want := map[string]any{"destinationId": "127.0.0.1:8886", "bytes": json.Number("4611686018427387905"), "ok": true,
		"nested": map[string]any{"a": []any{json.Number("1"), "x"}}}
	if !reflect.DeepEqual(got[0].Fields, want) {
		t.Errorf("fields %#v\nwant %#v", got[0].Fields, want)
	}
	if got[1].Fields != nil || got[1].Owner != "" {
		t.Errorf("server event %+v", got[1])
	}
}

func TestAppendEventErrors(t *testing.T) {
	s, _ := openTemp(t)
	for _, tc := range []struct {
		name, evName string
		fields       map[string]any
		want         string
	}{
		{"no name", "", nil, "without a name"},
		{"long name", strings.Repeat("n", 200), nil, "longer than"},
		{"unencodable", "x", map[string]any{"f": func() {}}, "encode fields"},
		{"nan", "x", map[string]any{"f": math.NaN()}, "encode fields"},
	} {
		if _, err := s.AppendEvent("", tc.evName, 1, tc.fields); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	if got, _ := s.Events(EventFilter{}); len(got) != 0 {
		t.Errorf("failed appends left %d events", len(got))
	}
}

func TestAppendEventConcurrent(t *testing.T) {
	s, _ := openTemp(t)
	const writers, each = 8, 50
	var wg sync.WaitGroup
	seqs := make(chan uint64, writers*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				ev, err := s.AppendEvent(fmt.Sprint("w", w), "e", int64(i), map[string]any{"i": i})
				if err != nil {
					t.Error(err)
					return
				}
				seqs <- ev.Seq
			}
		})
	}
	wg.Wait()
	close(seqs)
	seen := map[uint64]bool{}
	for q := range seqs {
		if seen[q] || q < 1 || q > writers*each {
			t.Fatalf("seq %d duplicated or out of range", q)
		}
		seen[q] = true
	}
	all, err := s.Events(EventFilter{})
	if err != nil || len(all) != writers*each {
		t.Fatalf("Events: %d entries, %v", len(all), err)
	}
	// Each writer's events are in its own order.
	next := map[string]int64{}
	for _, ev := range all {
		if ev.Timestamp != next[ev.Owner] {
			t.Fatalf("writer %s: got i=%d, want %d", ev.Owner, ev.Timestamp, next[ev.Owner])
		}
		next[ev.Owner]++
	}
	checkIntegrity(t, s)
}

func TestPruneEvents(t *testing.T) {
	s, dir := openTemp(t)
	seedEvents(t, s, 10)
	n, err := s.PruneEvents(450) // removes times 100..400
	if err != nil || n != 4 {
		t.Fatalf("PruneEvents = %d, %v; want 4", n, err)
	}
	if n, _ := s.PruneEvents(450); n != 0 {
		t.Errorf("second prune removed %d", n)
	}
	got, _ := s.Events(EventFilter{})
	if gs := seqsOf(got); !reflect.DeepEqual(gs, []uint64{5, 6, 7, 8, 9, 10}) {
		t.Errorf("after prune %v", gs)
	}
	got, _ = s.Events(EventFilter{Before: ptr(700)})
	if gs := seqsOf(got); !reflect.DeepEqual(gs, []uint64{5, 6}) {
		t.Errorf("window after prune %v", gs)
	}
	// Sequence numbers are not reused, also across a restart.
	s.Close()
	s2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	ev, err := s2.AppendEvent("", "e", 1, nil)
	if err != nil || ev.Seq != 11 {
		t.Errorf("append after prune+reopen: seq %d, %v; want 11", ev.Seq, err)
	}
}

func TestPruneEventsInChunks(t *testing.T) {
	s, _ := openTemp(t)
	const n = 2*pruneChunk + 10
	bulkAppend(t, s, n)
	got, err := s.PruneEvents(n - 5)
	if err != nil || got != n-5 {
		t.Fatalf("PruneEvents = %d, %v; want %d", got, err, n-5)
	}
	left, _ := s.Events(EventFilter{})
	if gs := seqsOf(left); !reflect.DeepEqual(gs, []uint64{n - 4, n - 3, n - 2, n - 1, n}) {
		t.Errorf("left %v", gs)
	}
	checkIntegrity(t, s)
}

// bulkAppend commits n events with timestamps 0..n-1 in one transaction.
func bulkAppend(t testing.TB, s *Store, n int) {
	t.Helper()
	group := make([]*appendReq, 0, n)
	for i := range n {
		raw, err := encodeEvent("alice", "transferUpdated", int64(i), map[string]any{"i": i})
		if err != nil {
			t.Fatal(err)
		}
		group = append(group, &appendReq{ev: Event{Timestamp: int64(i)}, raw: raw, done: make(chan struct{})})
	}
	s.commitEvents(group)
	if group[0].err != nil {
		t.Fatal(group[0].err)
	}
}
