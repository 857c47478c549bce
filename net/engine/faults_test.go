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
	disk.limit.Store(1 << 20)
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
	// Space is freed: the transfer resumes and completes.
	disk.limit.Store(-1)
	tr2 := &transfer{ticket: newTicket(t, CipherAES128, p.recv.NewConv(), "diskfull"), files: files, sink: sink}
	snd2, rcv2 := tr2.start(t, ctx, p)
	waitDone(t, 20*time.Second, snd2, rcv2)
	if snd2.Err() != nil || rcv2.Err() != nil {
		t.Fatalf("errors after freeing space: send %v, recv %v", snd2.Err(), rcv2.Err())
	}
	checkTree(t, files, dst)
	if st := snd2.Stats(); st.BytesSent >= st.TotalBytes {
		t.Errorf("resume re-sent everything: %d of %d", st.BytesSent, st.TotalBytes)
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
