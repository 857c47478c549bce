package engine

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io/fs"
	mrand "math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/net/pacer"
)

// treeSpec describes a generated source tree.
type treeSpec struct {
	small, smallSize int // count and size of small files
	large            []int
	empty            int // empty files
	emptyDirs        int
}

// makeTree writes a tree under dir and returns its SourceFiles.
func makeTree(t testing.TB, dir string, spec treeSpec, seed uint64) []SourceFile {
	t.Helper()
	rng := mrand.New(mrand.NewPCG(seed, 7))
	var files []SourceFile
	add := func(rel string, size int) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		b := make([]byte, size)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		if err := os.WriteFile(p, b, 0o640); err != nil {
			t.Fatal(err)
		}
		mt := time.Date(2020, 1, 2, 3, 4, 5, int(rng.Uint32N(1e9)), time.UTC)
		if err := os.Chtimes(p, mt, mt); err != nil {
			t.Fatal(err)
		}
		files = append(files, SourceFile{LocalPath: p, TargetPath: rel, Size: int64(size), Mode: 0o640, Mtime: mt})
	}
	for i, sz := range spec.large {
		add(fmt.Sprintf("big/large-%d.bin", i), sz)
	}
	for i := 0; i < spec.small; i++ {
		add(fmt.Sprintf("small/d%d/f%d.dat", i%7, i), spec.smallSize+int(rng.Uint32N(uint32(spec.smallSize/2+1))))
	}
	for i := 0; i < spec.empty; i++ {
		add(fmt.Sprintf("empty/e%d", i), 0)
	}
	for i := 0; i < spec.emptyDirs; i++ {
		rel := fmt.Sprintf("dirs/empty%d", i)
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(p, 0o750); err != nil {
			t.Fatal(err)
		}
		files = append(files, SourceFile{LocalPath: p, TargetPath: rel, Mode: fs.ModeDir | 0o750, EmptyDir: true})
	}
	return files
}

// sandboxLand lands target paths under root and refuses escapes.
func sandboxLand(root string) func(string) (string, error) {
	return func(p string) (string, error) {
		clean := filepath.Clean("/" + p)
		if strings.Contains(p, "\x00") || strings.Contains(p, "..") {
			return "", fmt.Errorf("path %q escapes the sandbox", p)
		}
		return filepath.Join(root, clean), nil
	}
}

// checkTree verifies that every listed file arrived byte-identical with mode and mtime.
func checkTree(t testing.TB, files []SourceFile, dst string) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(dst, f.TargetPath)
		fi, err := os.Stat(p)
		if err != nil {
			t.Errorf("%s: %v", f.TargetPath, err)
			continue
		}
		if f.EmptyDir {
			if !fi.IsDir() {
				t.Errorf("%s: not a directory", f.TargetPath)
			}
			continue
		}
		want, _ := os.ReadFile(f.LocalPath)
		got, _ := os.ReadFile(p)
		if !bytes.Equal(want, got) {
			t.Errorf("%s: content differs (%d vs %d bytes)", f.TargetPath, len(got), len(want))
		}
		if fi.Mode().Perm() != f.Mode.Perm() {
			t.Errorf("%s: mode %v, want %v", f.TargetPath, fi.Mode().Perm(), f.Mode.Perm())
		}
		if !fi.ModTime().Equal(f.Mtime) {
			t.Errorf("%s: mtime %v, want %v", f.TargetPath, fi.ModTime(), f.Mtime)
		}
	}
}

// recorder is an Observer collecting results.
type recorder struct {
	mu  sync.Mutex
	res map[int]FileResult
}

func (r *recorder) FileDone(fr FileResult) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.res == nil {
		r.res = make(map[int]FileResult)
	}
	r.res[fr.Index] = fr
}

func (r *recorder) get(i int) (FileResult, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fr, ok := r.res[i]
	return fr, ok
}

func (r *recorder) failed() map[int]Code {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[int]Code{}
	for i, fr := range r.res {
		if fr.Err != nil {
			out[i] = CodeOf(fr.Err)
		}
	}
	return out
}

func newTicket(t testing.TB, c Cipher, conv uint32, key string) Ticket {
	k := make([]byte, 32)
	rand.Read(k)
	return Ticket{Conv: conv, Cipher: c, Key: k, TransferKey: key}
}

// pair is a sending and a receiving endpoint.
type pair struct {
	send, recv *Endpoint
}

func loopbackPair(t testing.TB, cfg Config) pair {
	t.Helper()
	a, err := Listen("127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Listen("127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close(); b.Close() })
	return pair{send: a, recv: b}
}

// transfer describes one session run.
type transfer struct {
	ticket   Ticket
	files    []SourceFile
	sink     Sink
	sendOpts SendOptions
	srcObs   *recorder
	dstObs   *recorder
	source   Source
	sndStats Stats // the source's, once simTransfer returns
}

// start accepts on p.recv (the sink) and connects from p.send (the source).
func (tr *transfer) start(t testing.TB, ctx context.Context, p pair) (snd, rcv *Session) {
	t.Helper()
	if tr.srcObs == nil {
		tr.srcObs = &recorder{}
	}
	if tr.dstObs == nil {
		tr.dstObs = &recorder{}
	}
	src := tr.source
	if src == nil {
		src = NewDiskSource(tr.files)
	}
	rcv, err := p.recv.Accept(tr.ticket, Side{Sink: tr.sink, Observer: tr.dstObs})
	if err != nil {
		t.Fatal(err)
	}
	opts := tr.sendOpts
	if opts == (SendOptions{}) {
		opts.Policy = pacer.Fixed
		opts.MaxRate = 200 << 20
	}
	snd, err = p.send.Connect(ctx, p.recv.LocalAddr(), tr.ticket, Side{Source: src, Send: opts, Observer: tr.srcObs})
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	return snd, rcv
}

func waitDone(t testing.TB, d time.Duration, ss ...*Session) {
	t.Helper()
	deadline := time.After(d)
	for _, s := range ss {
		select {
		case <-s.Done():
		case <-deadline:
			for _, s := range ss {
				t.Logf("conv %d stats %+v", s.conv, s.Stats())
				s.Close(nil)
			}
			t.Fatalf("transfer did not finish within %v", d)
		}
	}
}

func newDiskSinkT(t testing.TB, cfg DiskSinkConfig) Sink {
	t.Helper()
	s, err := NewDiskSink(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var _ = net.IPv4len
