package engine

import (
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"golang.org/x/sys/unix"
)

// Commits queued together share one sync and one AsUser call for their
// renames; a checkpoint queued among them still runs, and every file lands.
func TestDiskWorkerBatchesCommits(t *testing.T) {
	for _, cheap := range []bool{true, false} {
		t.Run(fmt.Sprintf("cheap=%v", cheap), func(t *testing.T) { testBatchedCommits(t, cheap) })
	}
}

// testBatchedCommits commits 10 files queued together; with cheap the group
// flushes them with one syncfs, else each is fsynced (concurrently).
func testBatchedCommits(t *testing.T, cheap bool) {
	dir, state := t.TempDir(), t.TempDir()
	var calls atomic.Int32
	sink := newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dir), Overwrite: OverwriteAlways, StateDir: state,
		AsUser: func(fn func() error) error { calls.Add(1); return fn() }})
	var syncfs atomic.Int32
	sink.(*diskSink).group = &groupSync{ops: syncOps{device: fileDevice, cheap: func() bool { return cheap },
		syncfs: func(fd int) error { syncfs.Add(1); return unix.Syncfs(fd) }}}
	const n = 10
	w := &diskWorker{sink: sink, key: "k", opens: make(chan diskJob), jobs: make(chan diskJob, 64), results: make(chan diskResult, 64)}
	for i := range n {
		meta := FileMeta{Path: fmt.Sprintf("d/f%02d", i), Size: 2, Mode: 0o640}
		sf, err := sink.Open("k", meta, false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sf.WriteAt([]byte{'x', byte('0' + i)}, 0); err != nil {
			t.Fatal(err)
		}
		w.jobs <- diskJob{f: &rfile{}, sf: sf}
		if i == 4 {
			w.jobs <- diskJob{cp: &Checkpoint{TransferKey: "k"}}
		}
	}
	before := calls.Load()
	w.wg.Add(1)
	go w.loop(w.jobs)
	res := w.stop()
	if got := calls.Load() - before; got != 1 {
		t.Errorf("%d AsUser calls for %d queued commits, want 1", got, n)
	}
	if want := map[bool]int32{true: 1, false: 0}[cheap]; syncfs.Load() != want {
		t.Errorf("%d syncfs calls, want %d", syncfs.Load(), want)
	}
	var commits, cps int
	for _, r := range res {
		switch {
		case r.cp != nil:
			cps++
			if r.err != nil {
				t.Errorf("checkpoint: %v", r.err)
			}
		case r.f != nil:
			commits++
			if r.err != nil {
				t.Errorf("commit: %v", r.err)
			}
		}
	}
	if commits != n || cps != 1 {
		t.Fatalf("%d commits and %d checkpoints reported, want %d and 1", commits, cps, n)
	}
	for i := range n {
		p := filepath.Join(dir, "d", fmt.Sprintf("f%02d", i))
		b, err := os.ReadFile(p)
		if err != nil || string(b) != string([]byte{'x', byte('0' + i)}) {
			t.Errorf("%s: %q, %v", p, b, err)
		}
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o640 {
			t.Errorf("%s: mode %v, %v", p, fi.Mode(), err)
		}
	}
}
