package linkemu

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// DefaultBufSize is the packet buffer size: room for a 1500-byte MTU with
// margin. A read that fills a whole buffer is treated as a truncated,
// oversized packet and counted as a read error.
const DefaultBufSize = 2048

// DefaultMaxInFlight caps the packets one direction holds in its delay line
// (memory = MaxInFlight × BufSize); 1 Gbit/s × 500 ms is about 42 000
// 1500-byte packets.
const DefaultMaxInFlight = 65536

// maxConsecutiveReadErrors ends a Forwarder whose input keeps failing.
const maxConsecutiveReadErrors = 1000

// Forwarder moves packets in one direction: it reads each packet from In,
// asks the Link what happens to it, holds forwarded packets until their
// departure time and writes them to Out. In and Out must be packet
// oriented: one Read returns one packet and one Write sends one (TUN
// devices and SOCK_SEQPACKET sockets are).
type Forwarder struct {
	In          io.Reader
	Out         io.Writer
	Link        *Link
	BufSize     int                  // 0 means DefaultBufSize
	MaxInFlight int                  // 0 means DefaultMaxInFlight
	Now         func() time.Duration // monotonic clock; nil means time since Run started
	// VnetHdr says In and Out carry a virtio-net header before each packet
	// (TUN devices opened with IFF_VNET_HDR and TSO/USO offload, see
	// OpenTUN): TCP and UDP super-packets are cut into wire-sized packets
	// before the model sees them, and runs of surviving packets are merged
	// again on write.
	VnetHdr bool
	// Counters are live while Run runs and final after it returns.
	Counters Counters
}

// Run forwards until ctx is done or In fails for good (io.EOF, closed,
// or too many consecutive errors). Packets still held when it stops are
// discarded and stay counted as in_flight. When ctx ends,
// Run unblocks a pending read with SetReadDeadline if In has it, otherwise
// by closing In if it is an io.Closer.
func (f *Forwarder) Run(ctx context.Context) error {
	if f.In == nil || f.Out == nil || f.Link == nil {
		return errors.New("linkemu: forwarder needs In, Out and Link")
	}
	bufSize, maxInFlight := f.BufSize, f.MaxInFlight
	if bufSize <= 0 {
		bufSize = DefaultBufSize
	}
	if maxInFlight <= 0 {
		maxInFlight = DefaultMaxInFlight
	}
	now := f.Now
	if now == nil {
		start := time.Now()
		now = func() time.Duration { return time.Since(start) }
	}
	pool := newBufPool(bufSize)
	line := newDelayLine(maxInFlight)
	wake := make(chan struct{}, 1)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		f.writeLoop(ctx, line, pool, wake, now)
	}()
	interrupted := make(chan struct{})
	context.AfterFunc(ctx, func() { interruptRead(f.In); close(interrupted) })

	err := f.readLoop(ctx, line, pool, wake, now)
	stopped := ctx.Err() != nil // before our own cancel
	cancel()
	wg.Wait()
	<-interrupted // ctx is done, so the interrupt has run or is running
	if d, ok := f.In.(interface{ SetReadDeadline(time.Time) error }); ok {
		_ = d.SetReadDeadline(time.Time{}) // leave In usable for the caller
	}
	for _, p := range line.drain() { // still counted as in_flight
		pool.put(p.buf)
	}
	if stopped {
		return nil
	}
	if isClosedErr(err) {
		return fmt.Errorf("linkemu: input ended: %w", err)
	}
	return err
}

func (f *Forwarder) readLoop(ctx context.Context, line *delayLine, pool *bufPool, wake chan<- struct{}, now func() time.Duration) error {
	c := &f.Counters
	consecutive := 0
	var scratch []byte
	if f.VnetHdr {
		scratch = make([]byte, vnetHdrLen+maxSuperPacket+1)
	}
	for ctx.Err() == nil {
		var err error
		if f.VnetHdr {
			err = f.readVnet(scratch, line, pool, wake, now)
		} else {
			err = f.readPlain(line, pool, wake, now)
		}
		if err == nil {
			consecutive = 0
			continue
		}
		if isClosedErr(err) || ctx.Err() != nil {
			return err
		}
		c.ReadErrors.Add(1)
		if consecutive++; consecutive >= maxConsecutiveReadErrors {
			return fmt.Errorf("linkemu: %d consecutive read errors, last: %w", consecutive, err)
		}
	}
	return ctx.Err()
}

// readPlain reads one packet straight into a pooled buffer.
func (f *Forwarder) readPlain(line *delayLine, pool *bufPool, wake chan<- struct{}, now func() time.Duration) error {
	buf := pool.get()
	n, err := f.In.Read(*buf)
	if err != nil {
		pool.put(buf)
		return err
	}
	if n == 0 {
		pool.put(buf)
		return nil
	}
	if n >= len(*buf) { // truncated: larger than any MTU we configure
		f.Counters.Received.Add(1)
		f.Counters.ReceivedBytes.Add(uint64(n))
		f.Counters.ReadErrors.Add(1)
		pool.put(buf)
		return nil
	}
	f.admit(buf, n, n, line, pool, wake, now())
	return nil
}

// readVnet reads one frame (virtio header + packet, possibly a TSO or USO
// super-packet) and admits each wire-sized segment.
func (f *Forwarder) readVnet(scratch []byte, line *delayLine, pool *bufPool, wake chan<- struct{}, now func() time.Duration) error {
	n, err := f.In.Read(scratch)
	if err != nil {
		return err
	}
	h, err := decodeVnetHdr(scratch[:n])
	if err != nil {
		f.Counters.ReadErrors.Add(1)
		return nil
	}
	t := now()
	switch h.gsoType &^ vnetGSOECN {
	case vnetGSONone:
		buf := pool.get()
		if n > len(*buf) {
			f.Counters.Received.Add(1)
			f.Counters.ReceivedBytes.Add(uint64(n - vnetHdrLen))
			f.Counters.ReadErrors.Add(1)
			pool.put(buf)
			return nil
		}
		copy(*buf, scratch[:n])
		f.admit(buf, n, n-vnetHdrLen, line, pool, wake, t)
	case vnetGSOTCPv4:
		var cur *[]byte
		_, err := segmentTCP4(scratch[vnetHdrLen:n], int(h.gsoSize), h.gsoType&vnetGSOECN != 0,
			func() []byte { cur = pool.get(); return *cur },
			func(seg []byte) { f.admit(cur, len(seg), len(seg)-vnetHdrLen, line, pool, wake, t); cur = nil })
		if cur != nil {
			pool.put(cur)
		}
		if err != nil {
			f.Counters.ReadErrors.Add(1)
		}
	case vnetGSOUDPL4:
		var cur *[]byte
		_, err := segmentUDP4(scratch[vnetHdrLen:n], int(h.gsoSize),
			func() []byte { cur = pool.get(); return *cur },
			func(seg []byte) { f.admit(cur, len(seg), len(seg)-vnetHdrLen, line, pool, wake, t); cur = nil })
		if cur != nil {
			pool.put(cur)
		}
		if err != nil {
			f.Counters.ReadErrors.Add(1)
		}
	default:
		f.Counters.ReadErrors.Add(1) // a GSO type we never enable (IPv6)
	}
	return nil
}

// admit offers one wire packet of ipLen bytes, held in buf[:n], to the
// model and queues or drops it.
func (f *Forwarder) admit(buf *[]byte, n, ipLen int, line *delayLine, pool *bufPool, wake chan<- struct{}, t time.Duration) {
	c := &f.Counters
	c.Received.Add(1)
	c.ReceivedBytes.Add(uint64(ipLen))
	d := f.Link.Offer(t, ipLen)
	switch d.Verdict {
	case DropQueue:
		c.DroppedQueue.Add(1)
		pool.put(buf)
		return
	case DropLoss:
		c.addQueueDelay(d.QueueDelay)
		c.DroppedLoss.Add(1)
		pool.put(buf)
		return
	}
	c.addQueueDelay(d.QueueDelay)
	added, head := line.push(packet{buf: buf, n: n, depart: d.Depart})
	if !added {
		c.DroppedOverflow.Add(1)
		pool.put(buf)
		return
	}
	if head {
		select {
		case wake <- struct{}{}:
		default:
		}
	}
}

func (f *Forwarder) writeLoop(ctx context.Context, line *delayLine, pool *bufPool, wake <-chan struct{}, now func() time.Duration) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	batch := make([]packet, 0, 256)
	var scratch []byte
	var frames [][]byte
	if f.VnetHdr {
		scratch = make([]byte, vnetHdrLen+maxSuperPacket)
	}
	for {
		t := now()
		var next time.Duration
		var pending bool
		batch, next, pending = line.popDue(t, batch[:0])
		frames = f.writeBatch(batch, t, scratch, frames)
		for i, p := range batch {
			pool.put(p.buf)
			batch[i] = packet{}
		}
		if len(batch) > 0 {
			if ctx.Err() != nil {
				return
			}
			continue // more may have become due while writing
		}
		var tc <-chan time.Time
		if pending {
			timer.Reset(next - t)
			tc = timer.C
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-tc:
		}
		if pending && !timer.Stop() {
			select { // drain a fire that raced with wake (Go ≥1.23 timers make this a no-op)
			case <-timer.C:
			default:
			}
		}
	}
}

// writeBatch writes due packets, merging TCP and UDP runs into
// super-packets in VnetHdr mode.
func (f *Forwarder) writeBatch(batch []packet, t time.Duration, scratch []byte, frames [][]byte) [][]byte {
	c := &f.Counters
	hdr := 0
	if f.VnetHdr {
		hdr = vnetHdrLen
	}
	done := func(ps []packet, err error) {
		for _, p := range ps {
			if err != nil {
				c.WriteErrors.Add(1)
				continue
			}
			c.Forwarded.Add(1)
			c.ForwardedBytes.Add(uint64(p.n - hdr))
			c.addLate(t - p.depart)
		}
	}
	if !f.VnetHdr {
		for i := range batch {
			_, err := f.Out.Write((*batch[i].buf)[:batch[i].n])
			done(batch[i:i+1], err)
		}
		return frames
	}
	frames = frames[:0]
	for _, p := range batch {
		frames = append(frames, (*p.buf)[:p.n])
	}
	for i := 0; i < len(batch); {
		k, n := coalesceTCP4(frames[i:], scratch)
		if k <= 1 {
			k, n = coalesceUDP4(frames[i:], scratch)
		}
		var err error
		if k > 1 {
			_, err = f.Out.Write(scratch[:n])
		} else {
			k = 1
			_, err = f.Out.Write(frames[i])
		}
		done(batch[i:i+k], err)
		i += k
	}
	return frames
}

// interruptRead unblocks a pending Read on r.
func interruptRead(r io.Reader) {
	if d, ok := r.(interface{ SetReadDeadline(time.Time) error }); ok {
		if d.SetReadDeadline(time.Unix(1, 0)) == nil {
			return
		}
	}
	if c, ok := r.(io.Closer); ok {
		_ = c.Close()
	}
}

func isClosedErr(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, os.ErrClosed) || errors.Is(err, os.ErrDeadlineExceeded)
}
