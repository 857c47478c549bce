package linkemu

import (
	"fmt"
	"sync"
)

// bufPool hands out fixed-size packet buffers and refuses foreign ones, so a
// slice of the wrong size can never enter the pool.
type bufPool struct {
	size int
	p    sync.Pool
}

func newBufPool(size int) *bufPool {
	bp := &bufPool{size: size}
	bp.p.New = func() any {
		b := make([]byte, size)
		return &b
	}
	return bp
}

func (bp *bufPool) get() *[]byte { return bp.p.Get().(*[]byte) }

func (bp *bufPool) put(b *[]byte) {
	if b == nil || cap(*b) != bp.size {
		panic(fmt.Sprintf("linkemu: foreign buffer of cap %d returned to pool of %d", capOf(b), bp.size))
	}
	*b = (*b)[:bp.size]
	bp.p.Put(b)
}

func capOf(b *[]byte) int {
	if b == nil {
		return -1
	}
	return cap(*b)
}
