package engine

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
)

// Open jobs queued together run under one AsUser call; when that call fails
// before its function starts, each job runs (and fails or succeeds) on its
// own, so no open is lost.
func TestDiskWorkerBatchesOpens(t *testing.T) {
	for _, failBatch := range []bool{false, true} {
		t.Run(fmt.Sprintf("failBatch=%v", failBatch), func(t *testing.T) {
			dir := t.TempDir()
			var calls, depth, nested atomic.Int32
			first := true
			sink := newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dir), Overwrite: OverwriteAlways,
				AsUser: func(fn func() error) error {
					calls.Add(1)
					if failBatch && first {
						first = false // only the worker calls AsUser here: no race
						return errors.New("no slot")
					}
					if depth.Add(1) > 1 {
						nested.Add(1)
					}
					defer depth.Add(-1)
					return fn()
				}})
			w := &diskWorker{sink: sink, key: "k", opens: make(chan diskJob, 64), jobs: make(chan diskJob), results: make(chan diskResult, 64)}
			const n = 20
			for i := range n {
				w.opens <- diskJob{open: &rfile{}, meta: FileMeta{Path: fmt.Sprintf("d/f%02d", i), Size: 1}}
			}
			w.wg.Add(1)
			go w.loop(nil)
			res := w.stop()
			opened, nestedOpens := calls.Load(), nested.Load()
			if len(res) != n {
				t.Fatalf("%d results for %d opens", len(res), n)
			}
			for _, r := range res {
				if r.err != nil {
					t.Fatalf("open: %v", r.err)
				}
				r.sf.Abort(false)
			}
			// Batched: one outer call, each open's own call nested in it.
			// Failed batch: the failed call, then one per open.
			want := int32(n + 1)
			if got := opened; got != want {
				t.Errorf("AsUser called %d times, want %d", got, want)
			}
			wantNested := int32(n)
			if failBatch {
				wantNested = 0
			}
			if got := nestedOpens; got != wantNested {
				t.Errorf("%d nested AsUser calls, want %d", got, wantNested)
			}
			if m, _ := filepath.Glob(filepath.Join(dir, "d", "*")); len(m) != 0 {
				t.Errorf("aborted partfiles left behind: %v", m)
			}
		})
	}
}
