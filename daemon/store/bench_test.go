package store

import (
	"path/filepath"
	"runtime/debug"
	"sync/atomic"
	"testing"
)

func benchStore(b *testing.B) *Store {
	s, err := Open(filepath.Join(b.TempDir(), "state"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkAppendEvent: one caller at a time, each append fsynced alone.
func BenchmarkAppendEvent(b *testing.B) {
	s := benchStore(b)
	fields := map[string]any{"transferId": "0123456789abcdef", "bytes": 123456789}
	for i := 0; b.Loop(); i++ {
		if _, err := s.AppendEvent("alice", "transferUpdated", int64(i), fields); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendEventParallel: many callers sharing commits.
func BenchmarkAppendEventParallel(b *testing.B) {
	s := benchStore(b)
	fields := map[string]any{"transferId": "0123456789abcdef", "bytes": 123456789}
	var n atomic.Int64
	b.SetParallelism(16)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.AppendEvent("alice", "transferUpdated", n.Add(1), fields); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkEventsLimit100(b *testing.B) {
	s := benchStore(b)
	bulkAppend(b, s, 10000)
	for b.Loop() {
		evs, err := s.Events(EventFilter{Limit: 100, Name: "transferUpdated"})
		if err != nil || len(evs) != 100 {
			b.Fatal(len(evs), err)
		}
	}
}

// BenchmarkVerifyAccount: one login against users.db (open read-only,
// argon2id m=19 MiB t=2 p=1, close).
func BenchmarkVerifyAccount(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "state")
	if err := AddAccount(dir, "alice", "pw", false); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := VerifyAccount(dir, "alice", "pw"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyAfterIdle: a login after the runtime has returned its free
// memory to the OS (debug.FreeOSMemory stands in for an idle daemon's
// scavenger). argon2id's memory stays resident between checks (warm.go);
// without that, each check here faults 19 MiB in afresh.
func BenchmarkVerifyAfterIdle(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "state")
	if err := AddAccount(dir, "alice", "pw", false); err != nil {
		b.Fatal(err)
	}
	WarmUp()
	for range b.N {
		b.StopTimer()
		warm.mu.Lock() // the previous check's clean-up is done
		warm.mu.Unlock()
		debug.FreeOSMemory()
		b.StartTimer()
		if _, _, err := VerifyAccount(dir, "alice", "pw"); err != nil {
			b.Fatal(err)
		}
	}
}
