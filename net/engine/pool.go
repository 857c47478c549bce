package engine

// bufPool is a fixed-size buffer pool that keeps its buffers (a sync.Pool is
// emptied by every GC, and fresh 64 KiB buffers cost page faults on each use).
// It rejects buffers of a foreign size.
type bufPool struct {
	size int
	free chan *[]byte
}

func newBufPool(size int) *bufPool {
	keep := min(max(256, (64<<20)/size), 16384) // retain up to ~64 MiB
	return &bufPool{size: size, free: make(chan *[]byte, keep)}
}

func (p *bufPool) get() *[]byte {
	select {
	case b := <-p.free:
		return b
	default:
		b := make([]byte, p.size)
		return &b
	}
}

func (p *bufPool) put(b *[]byte) {
	if b == nil || cap(*b) != p.size {
		return
	}
	*b = (*b)[:p.size]
	select {
	case p.free <- b:
	default: // pool full: let the GC have it
	}
}
