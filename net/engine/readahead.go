package engine

import (
	"crypto/sha256"
	"sync"

	"github.com/jetstream-go/jetstream/net/wire"
)

// readAhead reads new blocks (and hashes chunks) on its own goroutine, in file
// order, ahead of the pacer. Block data lands directly in pooled datagram buffers
// at the payload offset, so sending it costs no copy.
type readAhead struct {
	ep          *Endpoint
	src         Source
	noRead      bool
	blockSize   uint64
	chunkBlocks uint64
	dataOff     int // offset of block bytes in a datagram buffer
	bufSize     int // datagram buffer size

	scratch []byte // run buffer for small blocks / skipped blocks

	files chan *raFile
	out   chan readItem
	quit  chan struct{}
	wg    sync.WaitGroup
}

// raFile is one file handed to the reader.
type raFile struct {
	idx     int
	meta    FileMeta
	first   uint64
	nblocks uint64
	skip    []wire.Range // file-relative blocks the sink already has
	known   []bool       // per chunk: digest already known (no need to hash)
}

type itemKind uint8

const (
	itemOpen   itemKind = iota // reader opened the file
	itemBlock                  // one block ready to send
	itemDigest                 // one chunk digest
	itemEnd                    // file fully read and unchanged
	itemErr                    // file failed
)

type readItem struct {
	kind   itemKind
	file   int
	block  uint64 // absolute block (itemBlock) or chunk index (itemDigest)
	bp     *[]byte
	n      int
	sum    [32]byte
	reader SourceReader
	err    error
}

// bufSize is the size of the datagram buffers blocks are read into (the
// session's datagram size plus one).
func newReadAhead(ep *Endpoint, src Source, noRead bool, blockSize, chunkBlocks uint64, dataOff, depth, bufSize int) *readAhead {
	ra := &readAhead{
		ep: ep, src: src, noRead: noRead, blockSize: blockSize, chunkBlocks: chunkBlocks, dataOff: dataOff, bufSize: bufSize,
		files: make(chan *raFile, 4096), out: make(chan readItem, depth), quit: make(chan struct{}),
		scratch: make([]byte, max(coalesceBytes, int(blockSize))),
	}
	ra.wg.Add(1)
	go ra.loop()
	return ra
}

func (ra *readAhead) stop() {
	close(ra.quit)
	ra.wg.Wait()
	for {
		select {
		case it := <-ra.out:
			releaseItem(ra.ep, it)
			continue
		default:
		}
		return
	}
}

func releaseItem(ep *Endpoint, it readItem) {
	if it.bp != nil {
		ep.putBuf(it.bp)
	}
	if it.reader != nil && it.kind == itemOpen {
		it.reader.Close()
	}
}

func (ra *readAhead) emit(it readItem) bool {
	select {
	case ra.out <- it:
		return true
	case <-ra.quit:
		releaseItem(ra.ep, it)
		return false
	}
}

func (ra *readAhead) loop() {
	defer ra.wg.Done()
	for {
		select {
		case f := <-ra.files:
			if !ra.readFile(f) {
				return
			}
		case <-ra.quit:
			return
		}
	}
}

func skipped(skip []wire.Range, b uint64) bool {
	for _, r := range skip { // short lists: resumed files only
		if b >= r.Start && b < r.End {
			return true
		}
	}
	return false
}

// readFile reads one file; it returns false when the reader must stop.
func (ra *readAhead) readFile(f *raFile) bool {
	if f.meta.EmptyDir {
		return ra.emit(readItem{kind: itemEnd, file: f.idx})
	}
	if ra.noRead {
		for b := uint64(0); b < f.nblocks; b++ {
			if skipped(f.skip, b) {
				continue
			}
			bp := ra.ep.getBufN(ra.bufSize)
			n := blockLen(f.meta.Size, ra.blockSize, b)
			clear((*bp)[ra.dataOff : ra.dataOff+n])
			if !ra.emit(readItem{kind: itemBlock, file: f.idx, block: f.first + b, bp: bp, n: n}) {
				return false
			}
		}
		return ra.emit(readItem{kind: itemEnd, file: f.idx})
	}
	r, err := ra.src.Open(f.meta)
	if err != nil {
		return ra.emit(readItem{kind: itemErr, file: f.idx, err: asSourceErr(err)})
	}
	if !ra.emit(readItem{kind: itemOpen, file: f.idx, reader: r}) {
		return false
	}
	cb := fileChunkBlocks(ra.chunkBlocks, f.nblocks)
	nchunks := (f.nblocks + cb - 1) / cb
	h := sha256.New()
	for c := uint64(0); c < nchunks; c++ {
		needDigest := c >= uint64(len(f.known)) || !f.known[c]
		lo, hi := c*cb, min((c+1)*cb, f.nblocks)
		h.Reset()
		// Small blocks are read in runs of up to coalesceBytes with one pread each.
		var run []byte
		var runStart uint64
		for b := lo; b < hi; b++ {
			skip := skipped(f.skip, b)
			if skip && !needDigest {
				continue
			}
			n := blockLen(f.meta.Size, ra.blockSize, b)
			var data []byte
			var bp *[]byte
			if !skip {
				bp = ra.ep.getBufN(ra.bufSize)
				data = (*bp)[ra.dataOff : ra.dataOff+n]
			}
			if ra.blockSize < smallBlock {
				off := b * ra.blockSize
				if run == nil || off < runStart || off+uint64(n) > runStart+uint64(len(run)) {
					runStart = off
					run = ra.scratch[:min(uint64(len(ra.scratch)), uint64(f.meta.Size)-off, (hi-b)*ra.blockSize)]
					if _, err := r.ReadAt(run, int64(off)); err != nil {
						if bp != nil {
							ra.ep.putBuf(bp)
						}
						return ra.emit(readItem{kind: itemErr, file: f.idx, err: asSourceErr(err)})
					}
				}
				src := run[off-runStart : off-runStart+uint64(n)]
				if data != nil {
					copy(data, src)
				} else {
					data = src
				}
			} else {
				if data == nil {
					data = ra.scratch[:n]
				}
				if _, err := r.ReadAt(data, int64(b*ra.blockSize)); err != nil {
					if bp != nil {
						ra.ep.putBuf(bp)
					}
					return ra.emit(readItem{kind: itemErr, file: f.idx, err: asSourceErr(err)})
				}
			}
			if needDigest {
				h.Write(data)
			}
			if skip {
				continue
			}
			if !ra.emit(readItem{kind: itemBlock, file: f.idx, block: f.first + b, bp: bp, n: n}) {
				return false
			}
		}
		if needDigest {
			it := readItem{kind: itemDigest, file: f.idx, block: c}
			h.Sum(it.sum[:0])
			if !ra.emit(it) {
				return false
			}
		}
	}
	if err := r.Check(); err != nil {
		return ra.emit(readItem{kind: itemErr, file: f.idx, err: asSourceErr(err)})
	}
	return ra.emit(readItem{kind: itemEnd, file: f.idx})
}

// asSourceErr gives untyped source errors the source_unreadable code.
func asSourceErr(err error) *Error {
	e := asError(err)
	if e.Code == CodeIO {
		e = &Error{Code: CodeSourceUnreadable, Msg: e.Msg}
	}
	return e
}

// Blocks smaller than smallBlock are read (and, at the sink, written) in runs of
// up to coalesceBytes, saving a system call per block.
const (
	smallBlock    = 16 << 10
	coalesceBytes = 256 << 10
)

// maxChunksPerFile bounds the chunks of one file: huge files get bigger chunks,
// so per-file hashing state stays small on both sides.
const maxChunksPerFile = 1 << 16

// fileChunkBlocks is the chunk size (in blocks) of a file of n blocks, given the
// offer's chunk size. Both sides compute it the same way.
func fileChunkBlocks(base, n uint64) uint64 {
	return max(base, (n+maxChunksPerFile-1)/maxChunksPerFile)
}

// blockLen is the length of file-relative block b of a file of size bytes.
func blockLen(size int64, blockSize, b uint64) int {
	off := b * blockSize
	return int(min(blockSize, uint64(size)-off))
}

// blocksOf is the number of blocks of a file.
func blocksOf(size int64, blockSize uint64) uint64 {
	return (uint64(size) + blockSize - 1) / blockSize
}
