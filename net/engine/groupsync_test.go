package engine

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// fakeSyncFile is a File that counts its own fsyncs.
type fakeSyncFile struct {
	dev   uint64
	syncs atomic.Int32
	err   error
	File
}

func (f *fakeSyncFile) Sync() error { f.syncs.Add(1); return f.err }

type fakeSyncfs struct {
	mu      sync.Mutex
	calls   int
	err     error
	cheap   bool
	started chan struct{} // receives once per syncfs call when set
	release chan struct{} // a syncfs waits on it when set
}

func (s *fakeSyncfs) group() *groupSync {
	return &groupSync{ops: syncOps{
		device: func(f File) (uint64, int, bool) {
			ff, ok := f.(*fakeSyncFile)
			if !ok {
				return 0, 0, false
			}
			return ff.dev, int(ff.dev), true
		},
		syncfs: func(int) error {
			if s.started != nil {
				s.started <- struct{}{}
			}
			if s.release != nil {
				<-s.release
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			s.calls++
			return s.err
		},
		cheap: func() bool { return s.cheap },
	}}
}

func TestGroupSyncFlush(t *testing.T) {
	files := func(devs ...uint64) []*syncReq {
		var rs []*syncReq
		for _, d := range devs {
			rs = append(rs, &syncReq{f: &fakeSyncFile{dev: d}, done: make(chan struct{})})
		}
		return rs
	}
	tests := []struct {
		name     string
		batch    []*syncReq
		cheap    bool
		syncErr  error
		syncfs   int
		handled  int // requests the leader flushed
		fileSync int // fsyncs the leader made itself
	}{
		{"lone file: its own fsync", files(1), true, nil, 0, 1, 1},
		{"batch on one filesystem", files(1, 1, 1, 1, 1), true, nil, 1, 5, 0},
		{"two filesystems", files(1, 1, 1, 1, 2, 2, 2, 2), true, nil, 2, 8, 0},
		{"too few on the second", files(1, 1, 1, 1, 2), true, nil, 1, 4, 0},
		{"small batch left to callers", files(1, 1, 1), true, nil, 0, 0, 0},
		{"busy host: callers fsync", files(1, 1, 1, 1, 1), false, nil, 0, 0, 0},
		{"syncfs failed: callers fsync", files(1, 1, 1, 1), true, errors.New("EIO"), 1, 0, 0},
		{"not a kernel file", append(files(1, 1, 1, 1), &syncReq{f: nopFile{}, done: make(chan struct{})}), true, nil, 1, 4, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := &fakeSyncfs{cheap: tt.cheap, err: tt.syncErr}
			fs.group().flush(tt.batch)
			handled, fileSync := 0, 0
			for _, r := range tt.batch {
				select {
				case <-r.done:
				default:
					t.Fatal("a caller was not released")
				}
				if r.handled {
					handled++
				}
				if f, ok := r.f.(*fakeSyncFile); ok {
					fileSync += int(f.syncs.Load())
				}
			}
			if fs.calls != tt.syncfs || handled != tt.handled || fileSync != tt.fileSync {
				t.Fatalf("syncfs %d, handled %d, fsyncs %d; want %d, %d, %d", fs.calls, handled, fileSync, tt.syncfs, tt.handled, tt.fileSync)
			}
		})
	}
}

type nopFile struct{ File }

func (nopFile) Sync() error { return nil }

// TestGroupSyncBatches: commits that arrive while a flush is under way are
// flushed together by one syncfs, and every caller learns the outcome.
func TestGroupSyncBatches(t *testing.T) {
	fs := &fakeSyncfs{cheap: true, started: make(chan struct{}, 10), release: make(chan struct{})}
	g := fs.group()
	first := &fakeSyncFile{dev: 1}
	var wg sync.WaitGroup
	results := make([]bool, 9)
	wg.Add(1)
	go func() { // leader: its lone file is fsynced at once
		defer wg.Done()
		results[0], _ = g.sync(first)
	}()
	wg.Wait()
	// A leader that finds three commits already queued flushes four files
	// with one syncfs; seven more arrive meanwhile and share the next.
	lead := &fakeSyncFile{dev: 1}
	g.mu.Lock()
	g.pending = append(g.pending, &syncReq{f: &fakeSyncFile{dev: 1}, done: make(chan struct{})},
		&syncReq{f: &fakeSyncFile{dev: 1}, done: make(chan struct{})}, &syncReq{f: &fakeSyncFile{dev: 1}, done: make(chan struct{})})
	g.mu.Unlock()
	wg.Add(1)
	go func() { defer wg.Done(); results[1], _ = g.sync(lead) }()
	<-fs.started // the leader flushes 4 files with one syncfs and waits
	for i := 2; i < 9; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); results[i], _ = g.sync(&fakeSyncFile{dev: 1}) }()
	}
	for { // all seven queued behind the leader
		g.mu.Lock()
		n := len(g.pending)
		g.mu.Unlock()
		if n == 7 {
			break
		}
		runtime.Gosched()
	}
	fs.release <- struct{}{}
	<-fs.started // one syncfs for the seven
	fs.release <- struct{}{}
	wg.Wait()
	if fs.calls != 2 {
		t.Errorf("%d syncfs calls, want 2", fs.calls)
	}
	for i, h := range results {
		if !h {
			t.Errorf("caller %d not flushed", i)
		}
	}
	if first.syncs.Load() != 1 || lead.syncs.Load() != 0 {
		t.Errorf("fsyncs: lone %d, batched %d", first.syncs.Load(), lead.syncs.Load())
	}
}

func TestGroupSyncNil(t *testing.T) {
	var g *groupSync
	if handled, err := g.sync(&fakeSyncFile{}); handled || err != nil {
		t.Fatalf("nil groupSync: %v %v", handled, err)
	}
}

func TestParseDirty(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"MemTotal: 100 kB\nDirty:  12 kB\nWriteback:   4 kB\n", 16 << 10, true},
		{"Dirty: 12 kB\n", 0, false},
		{"Dirty: x kB\nWriteback: 1 kB\n", 0, false},
		{"Dirty: 1 MB\nWriteback: 1 kB\n", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseDirty([]byte(tt.in))
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseDirty(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzParseDirty(f *testing.F) {
	f.Add([]byte("Dirty: 12 kB\nWriteback: 4 kB\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if n, ok := parseDirty(b); ok && n < 0 {
			t.Fatalf("negative %d", n)
		}
	})
}
