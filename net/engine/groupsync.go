package engine

import (
	"bufio"
	"bytes"
	"strconv"
	"sync"
)

// groupSync lets file commits that arrive together share one flush. The first
// commit to arrive leads: it flushes what is pending (one syncfs per
// filesystem for a batch of groupSyncMin files or more, else an fsync of the
// lone file) while later commits queue behind it, then flushes their batch,
// and so on; on a filesystem where every fsync is a journal commit, 10,000
// small files then cost a few hundred flushes instead of 10,000.
//
// syncfs flushes everything dirty on the filesystem, so it is only used while
// the host has little dirty data (flushCheap): next to a large write-back it
// could take far longer than the files' own fsyncs, and those are then left
// to each commit, as without grouping. A failed syncfs is retried file by
// file so the error lands on the file it belongs to.
type groupSync struct {
	mu      sync.Mutex
	leading bool
	pending []*syncReq
	ops     syncOps
}

// syncOps are the system calls groupSync uses (a seam for tests).
type syncOps struct {
	// device returns the filesystem of f; ok is false when f is not a
	// kernel file, which is then synced on its own.
	device func(f File) (dev uint64, fd int, ok bool)
	syncfs func(fd int) error
	// cheap reports whether a whole-filesystem flush is cheap now.
	cheap func() bool
}

type syncReq struct {
	f       File
	handled bool  // the leader synced f (else the caller must)
	err     error // when handled
	done    chan struct{}
}

// groupSyncMin is the smallest batch flushed with one syncfs.
const groupSyncMin = 4

// sync flushes f together with whatever else is committing. It returns
// handled=false when f was not flushed and the caller must f.Sync() itself.
func (g *groupSync) sync(f File) (handled bool, err error) {
	r := g.syncAll([]File{f})
	return r[0].handled, r[0].err
}

// syncAll is sync for several files at once (one caller committing a batch):
// they join the pending flush together, so a batch alone can still share a
// syncfs.
func (g *groupSync) syncAll(files []File) []*syncReq {
	reqs := make([]*syncReq, len(files))
	for i, f := range files {
		reqs[i] = &syncReq{f: f, done: make(chan struct{})}
	}
	if g == nil || g.ops.syncfs == nil {
		for _, r := range reqs {
			close(r.done)
		}
		return reqs
	}
	g.mu.Lock()
	g.pending = append(g.pending, reqs...)
	if !g.leading {
		g.leading = true
		for len(g.pending) > 0 {
			batch := g.pending
			g.pending = nil
			g.mu.Unlock()
			g.flush(batch)
			g.mu.Lock()
		}
		g.leading = false
	}
	g.mu.Unlock()
	for _, r := range reqs {
		<-r.done
	}
	return reqs
}

// flush syncs one batch and releases its callers.
func (g *groupSync) flush(batch []*syncReq) {
	defer func() {
		for _, r := range batch {
			close(r.done)
		}
	}()
	if len(batch) == 1 {
		batch[0].handled, batch[0].err = true, batch[0].f.Sync()
		return
	}
	if !g.ops.cheap() {
		return // each caller fsyncs its own file, concurrently
	}
	type group struct {
		fd   int
		reqs []*syncReq
	}
	var groups map[uint64]*group
	for _, r := range batch {
		dev, fd, ok := g.ops.device(r.f)
		if !ok {
			continue
		}
		if groups == nil {
			groups = make(map[uint64]*group)
		}
		gr := groups[dev]
		if gr == nil {
			gr = &group{fd: fd}
			groups[dev] = gr
		}
		gr.reqs = append(gr.reqs, r)
	}
	for _, gr := range groups {
		if len(gr.reqs) < groupSyncMin {
			continue
		}
		if g.ops.syncfs(gr.fd) != nil {
			continue // per file, so each error names its file
		}
		for _, r := range gr.reqs {
			r.handled = true
		}
	}
}

// parseDirty sums Dirty and Writeback (in bytes) of /proc/meminfo's text.
func parseDirty(b []byte) (int64, bool) {
	var total int64
	found := 0
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		name, rest, ok := bytes.Cut(sc.Bytes(), []byte(":"))
		if !ok || (string(name) != "Dirty" && string(name) != "Writeback") {
			continue
		}
		f := bytes.Fields(rest)
		if len(f) != 2 || string(f[1]) != "kB" {
			return 0, false
		}
		kb, err := strconv.ParseInt(string(f[0]), 10, 64)
		if err != nil || kb < 0 {
			return 0, false
		}
		total += kb << 10
		found++
	}
	if found != 2 {
		return 0, false
	}
	return total, true
}
