package engine

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/net/netsim"
	"github.com/jetstream-go/jetstream/net/pacer"
)

// fullDisk injects ENOSPC once more than limit bytes were written (limit < 0 = no limit).
type fullDisk struct {
	limit   atomic.Int64
	written atomic.Int64
}

type faultFile struct {
	*os.File
	d *fullDisk
}

func (f faultFile) WriteAt(p []byte, off int64) (int, error) {
	if l := f.d.limit.Load(); l >= 0 && f.d.written.Add(int64(len(p))) > l {
		return 0, &fs.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
	}
	return f.File.WriteAt(p, off)
}

func (d *fullDisk) open(name string, flag int, perm fs.FileMode) (File, error) {
	f, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return faultFile{File: f, d: d}, nil
}

func TestDiskFullThenResume(t *testing.T) {
	src, dst, state := t.TempDir(), t.TempDir(), t.TempDir()
	files := makeTree(t, src, treeSpec{large: []int{4 << 20}, small: 10, smallSize: 2000}, 21)
	p := loopbackPair(t, Config{})
	disk := &fullDisk{}
	disk.limit.Store(3 << 20)
	sink := newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dst), StateDir: state, OpenFile: disk.open, CheckpointEvery: 30 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tr := &transfer{ticket: newTicket(t, CipherAES128, p.recv.NewConv(), "diskfull"), files: files, sink: sink}
	snd, rcv := tr.start(t, ctx, p)
	waitDone(t, 20*time.Second, snd, rcv)
	if CodeOf(rcv.Err()) != CodeDiskFull || CodeOf(snd.Err()) != CodeDiskFull {
		t.Fatalf("want disk_full on both sides, got send %v, recv %v", snd.Err(), rcv.Err())
	}
	if len(partfiles(t, dst)) == 0 {
		t.Fatal("partfile not kept")
	}
	cp, err := sink.Load("diskfull")
	if err != nil || cp == nil {
		t.Fatalf("no checkpoint after disk full: %v", err)
	}
	var saved int
	for _, f := range cp.Files {
		for _, r := range f.Ranges {
			saved += int(r.End - r.Start)
		}
	}
	t.Logf("checkpoint holds %d blocks; receiver had %+v", saved, rcv.Stats())
	// Space is freed: the transfer resumes and completes.
	disk.limit.Store(-1)
	tr2 := &transfer{ticket: newTicket(t, CipherAES128, p.recv.NewConv(), "diskfull"), files: files, sink: sink}
	snd2, rcv2 := tr2.start(t, ctx, p)
	waitDone(t, 20*time.Second, snd2, rcv2)
	if snd2.Err() != nil || rcv2.Err() != nil {
		t.Fatalf("errors after freeing space: send %v, recv %v", snd2.Err(), rcv2.Err())
	}
	checkTree(t, files, dst)
	st := snd2.Stats()
	if first := st.BlocksSent - st.BlocksRetransmitted; first > st.TotalBlocks-int64(saved) {
		t.Errorf("resume sent %d new blocks; %d of %d were saved", first, saved, st.TotalBlocks)
	}
}

// changingSource rewrites one file right after it is opened.
type changingSource struct {
	Source
	victim int
	path   string
	once   sync.Once
}

func (c *changingSource) Open(f FileMeta) (SourceReader, error) {
	r, err := c.Source.Open(f)
	if err == nil && f.Index == c.victim {
		c.once.Do(func() {
			b, _ := os.ReadFile(c.path)
			b[0] ^= 1
			os.WriteFile(c.path, b, 0o640)
		})
	}
	return r, err
}

func TestPerFileFailures(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	files := makeTree(t, src, treeSpec{small: 12, smallSize: 50000, large: []int{2 << 20}}, 22)
	// files[0] is the large one. Make: 1 unreadable, 2 changed during the transfer,
	// 3 changed before it was opened, 4 escaping the sandbox.
	if err := os.Remove(files[1].LocalPath); err != nil {
		t.Fatal(err)
	}
	os.Truncate(files[3].LocalPath, 10)
	files[4].TargetPath = "../../etc/evil"
	want := map[int]Code{0: CodeSourceChanged, 1: CodeSourceUnreadable, 3: CodeSourceChanged, 4: CodePathRefused}
	p := loopbackPair(t, Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tr := &transfer{ticket: newTicket(t, CipherAuth, p.recv.NewConv(), "failures"), files: files,
		sink:     newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dst)}),
		source:   &changingSource{Source: NewDiskSource(files), victim: 0, path: files[0].LocalPath},
		sendOpts: SendOptions{Policy: pacer.Fixed, MaxRate: 20 << 20}}
	snd, rcv := tr.start(t, ctx, p)
	waitDone(t, 20*time.Second, snd, rcv)
	if snd.Err() != nil || rcv.Err() != nil {
		t.Fatalf("session errors: send %v, recv %v", snd.Err(), rcv.Err())
	}
	for _, obs := range []*recorder{tr.srcObs, tr.dstObs} {
		got := obs.failed()
		for i, c := range want {
			if got[i] != c {
				t.Errorf("file %d: code %q, want %q", i, got[i], c)
			}
		}
		if len(got) != len(want) {
			t.Errorf("failed files %v, want %v", got, want)
		}
	}
	var ok []SourceFile
	for i, f := range files {
		if _, bad := want[i]; !bad {
			ok = append(ok, f)
		}
	}
	checkTree(t, ok, dst)
	if _, err := os.Stat(filepath.Join(dst, files[0].TargetPath)); err == nil {
		t.Error("changed file was committed")
	}
	if n := len(partfiles(t, dst)); n != 0 {
		t.Errorf("%d partfiles left for failed files", n)
	}
	if st := snd.Stats(); st.FilesFailed != int64(len(want)) || st.FilesDone != int64(len(ok)) {
		t.Errorf("stats %+v", st)
	}
}

// liarSource returns different bytes whenever a block is read a second time (a
// retransmission) and never admits a change: the hashes must catch it.
type liarSource struct{ Source }

type liarReader struct {
	SourceReader
	mu   sync.Mutex
	seen map[int64]bool
}

func (l liarSource) Open(f FileMeta) (SourceReader, error) {
	r, err := l.Source.Open(f)
	if err != nil {
		return nil, err
	}
	return &liarReader{SourceReader: r, seen: map[int64]bool{}}, nil
}

func (r *liarReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := r.SourceReader.ReadAt(p, off)
	r.mu.Lock()
	again := r.seen[off]
	r.seen[off] = true
	r.mu.Unlock()
	if again && n > 0 {
		p[0] ^= 0xff
	}
	return n, err
}

func (r *liarReader) Check() error { return nil }

func TestMixedDataIsDetected(t *testing.T) {
	p, _ := netsimPair(t, netsim.LinkConfig{Delay: 2 * time.Millisecond, Loss: 0.2, Seed: 5}, Config{})
	src, dst := t.TempDir(), t.TempDir()
	files := makeTree(t, src, treeSpec{large: []int{1 << 20}}, 61)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tr := &transfer{ticket: newTicket(t, CipherAES128, p.recv.NewConv(), "liar"), files: files,
		sink: newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dst)}), source: liarSource{NewDiskSource(files)},
		sendOpts: SendOptions{Policy: pacer.Fixed, MaxRate: 8 << 20}}
	snd, rcv := tr.start(t, ctx, p)
	waitDone(t, 30*time.Second, snd, rcv)
	if snd.Err() != nil || rcv.Err() != nil {
		t.Fatalf("errors: %v %v", snd.Err(), rcv.Err())
	}
	if snd.Stats().BlocksRetransmitted == 0 {
		t.Skip("no retransmission happened; nothing was mixed")
	}
	for _, obs := range []*recorder{tr.srcObs, tr.dstObs} {
		if got := obs.failed(); got[0] != CodeHashMismatch {
			t.Fatalf("want hash_mismatch, got %v", got)
		}
	}
	if _, err := os.Stat(filepath.Join(dst, files[0].TargetPath)); err == nil {
		t.Fatal("mixed file was committed")
	}
}

func TestFileChunkBlocks(t *testing.T) {
	tests := []struct{ base, n, want uint64 }{
		{750, 0, 750}, {750, 10, 750}, {750, maxChunksPerFile * 750, 750},
		{750, maxChunksPerFile*750 + 1, 751}, {1, maxChunksPerFile * 1000, 1000},
	}
	for _, tc := range tests {
		if got := fileChunkBlocks(tc.base, tc.n); got != tc.want {
			t.Errorf("fileChunkBlocks(%d, %d) = %d, want %d", tc.base, tc.n, got, tc.want)
		}
		if nc := (tc.n + fileChunkBlocks(tc.base, tc.n) - 1) / fileChunkBlocks(tc.base, tc.n); nc > maxChunksPerFile {
			t.Errorf("%d chunks for %d blocks", nc, tc.n)
		}
	}
}
