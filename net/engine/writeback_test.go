package engine

import (
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
)

func TestWriteBehindStartsEveryThreshold(t *testing.T) {
	var starts atomic.Int32
	release := make(chan struct{})
	w := &writeBehind{start: func() { starts.Add(1); <-release }}
	const chunk = 1 << 20
	for range writeBehindBytes / chunk { // 16 MiB: the first start
		w.wrote(chunk)
	}
	for range 2 * writeBehindBytes / chunk { // 32 MiB more while it runs: no second start
		w.wrote(chunk)
	}
	close(release)
	w.wait()
	if n := starts.Load(); n != 1 {
		t.Fatalf("%d starts while one was running, want 1", n)
	}
	for range writeBehindBytes / chunk { // the next 16 MiB start again
		w.wrote(chunk)
	}
	w.wait()
	if n := starts.Load(); n != 2 {
		t.Fatalf("%d starts, want 2", n)
	}
	var nilW *writeBehind
	nilW.wrote(chunk) // files that are not kernel files have none
	nilW.wait()
}

// TestWriteBehindRealFile: a partfile written through the disk sink gets
// write-behind, and committing it waits for a start in flight.
func TestWriteBehindRealFile(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "part"))
	if err != nil {
		t.Fatal(err)
	}
	w := newWriteBehind(f)
	if w.start == nil {
		t.Skip("no write-behind on this platform")
	}
	buf := make([]byte, 1<<20)
	for i := range writeBehindBytes / len(buf) {
		n, err := f.WriteAt(buf, int64(i*len(buf)))
		if err != nil {
			t.Fatal(err)
		}
		w.wrote(n)
	}
	w.wait()
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
