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
	stop := context.AfterFunc(ctx, func() { interruptRead(f.In) })
	defer stop()

	err := f.readLoop(ctx, line, pool, wake, now)
	cancel()
	wg.Wait()
	for _, p := range line.drain() { // still counted as in_flight
		pool.put(p.buf)
	}
	if ctx.Err() != nil && isClosedErr(err) {
		return nil
	}
	return err
}

func (f *Forwarder) readLoop(ctx context.Context, line *delayLine, pool *bufPool, wake chan<- struct{}, now func() time.Duration) error {
	c := &f.Counters
	consecutive := 0
	for ctx.Err() == nil {
		buf := pool.get()
		n, err := f.In.Read(*buf)
		if err != nil {
			pool.put(buf)
			if isClosedErr(err) || ctx.Err() != nil {
				return err
			}
			c.ReadErrors.Add(1)
			if consecutive++; consecutive >= maxConsecutiveReadErrors {
				return fmt.Errorf("linkemu: %d consecutive read errors, last: %w", consecutive, err)
			}
			continue
		}
		consecutive = 0
		if n == 0 {
			pool.put(buf)
			continue
		}
		c.Received.Add(1)
		c.ReceivedBytes.Add(uint64(n))
		if n >= len(*buf) { // truncated: larger than any MTU we configure
			c.ReadErrors.Add(1)
			pool.put(buf)
			continue
		}
		d := f.Link.Offer(now(), n)
		switch d.Verdict {
		case DropQueue:
			c.DroppedQueue.Add(1)
			pool.put(buf)
			continue
		case DropLoss:
			c.addQueueDelay(d.QueueDelay)
			c.DroppedLoss.Add(1)
			pool.put(buf)
			continue
		}
		c.addQueueDelay(d.QueueDelay)
		added, head := line.push(packet{buf: buf, n: n, depart: d.Depart})
		if !added {
			c.DroppedOverflow.Add(1)
			pool.put(buf)
			continue
		}
		if head {
			select {
			case wake <- struct{}{}:
			default:
			}
		}
	}
	return ctx.Err()
}

func (f *Forwarder) writeLoop(ctx context.Context, line *delayLine, pool *bufPool, wake <-chan struct{}, now func() time.Duration) {
	c := &f.Counters
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	batch := make([]packet, 0, 256)
	for {
		t := now()
		var next time.Duration
		var pending bool
		batch, next, pending = line.popDue(t, batch[:0])
		for i, p := range batch {
			if _, err := f.Out.Write((*p.buf)[:p.n]); err != nil {
				c.WriteErrors.Add(1)
			} else {
				c.Forwarded.Add(1)
				c.ForwardedBytes.Add(uint64(p.n))
				c.addLate(t - p.depart)
			}
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
