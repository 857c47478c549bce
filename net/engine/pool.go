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

// bufClasses are the buffer sizes below the endpoint's largest: an Ethernet
// datagram and a jumbo-frame one. Sessions whose path carries only small
// datagrams use them, so a receive window of 1472-byte datagrams does not
// pin 64 KiB per datagram when the endpoint accepts loopback-sized ones.
var bufClasses = []int{2048, 9216}

// bufPools holds one pool per size class, smallest first; the last is the
// endpoint's largest datagram plus one byte (to detect oversize reads).
type bufPools []*bufPool

func newBufPools(largest int) bufPools {
	var ps bufPools
	for _, c := range bufClasses {
		if c < largest {
			ps = append(ps, newBufPool(c))
		}
	}
	return append(ps, newBufPool(largest))
}

// get returns a buffer of at least n bytes (the largest class for n <= 0
// or n above every class).
func (ps bufPools) get(n int) *[]byte {
	if n > 0 {
		for _, p := range ps {
			if p.size >= n {
				return p.get()
			}
		}
	}
	return ps[len(ps)-1].get()
}

// put returns b to the pool of its size; foreign sizes are dropped.
func (ps bufPools) put(b *[]byte) {
	if b == nil {
		return
	}
	for _, p := range ps {
		if cap(*b) == p.size {
			p.put(b)
			return
		}
	}
}

// shrink moves a received datagram of n bytes out of a large buffer into
// the smallest class that holds it (plus the spare byte), returning the
// large one to its pool. It returns bp unchanged when no smaller class fits.
func (ps bufPools) shrink(bp *[]byte, n int) *[]byte {
	if len(ps) < 2 || n+1 > ps[len(ps)-2].size || cap(*bp) <= ps[len(ps)-2].size {
		return bp
	}
	small := ps.get(n + 1)
	copy(*small, (*bp)[:n])
	ps.put(bp)
	return small
}
