package triggers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// Errors returned by Runner.Fire.
var (
	// ErrNoTrigger: the trigger directory has no file of that name; nothing
	// was queued (the usual case: most events have no trigger).
	ErrNoTrigger = errors.New("triggers: no such trigger")
	// ErrQueueFull: too many triggers are waiting; this one was dropped and
	// logged.
	ErrQueueFull = errors.New("triggers: queue full, trigger dropped")
	// ErrClosed: the runner is closed.
	ErrClosed = errors.New("triggers: runner closed")
	// ErrBadName: the name is not a valid trigger name (see ValidName).
	ErrBadName = errors.New("triggers: invalid trigger name")
)

// Defaults for the zero values of Config.
const (
	DefaultQueueSize      = 1024
	DefaultCloseTimeout   = 5 * time.Second
	DefaultMaxOutputBytes = 1 << 20
)

// Config configures a Runner.
type Config struct {
	// Dir is the trigger directory (--trigger-dir), the working directory of
	// every trigger. It need not exist: then no trigger runs.
	Dir string
	// Log receives the trigger log (--trigger-log): a line when a trigger
	// starts and ends, its output (stdout and stderr, at most MaxOutputBytes
	// per run), skipped and dropped triggers. Nil discards all of it: the
	// product's "silent" execution.
	Log io.Writer
	// Timeout kills a trigger (its whole process group) that runs longer;
	// 0 = no limit, as in the product.
	Timeout time.Duration
	// QueueSize bounds the triggers waiting to run (default
	// DefaultQueueSize). Fire drops triggers beyond it.
	QueueSize int
	// CloseTimeout bounds how long Close lets queued triggers run before it
	// kills the running one and discards the rest (default
	// DefaultCloseTimeout).
	CloseTimeout time.Duration
	// MaxOutputBytes bounds the output one run writes to Log (default
	// DefaultMaxOutputBytes); the rest is discarded and the cut is noted.
	MaxOutputBytes int64
	// Logger receives warnings meant for the server log (the queue
	// overflowing). Nil = slog.Default().
	Logger *slog.Logger
	// Now is the clock for log timestamps and durations (default time.Now).
	Now func() time.Time
	// Environ returns the environment for triggers (default os.Environ);
	// secrets such as JETSTREAM_API_PASSWORD are always removed.
	Environ func() []string
	// Done, if set, is called by the worker after every trigger that was
	// dequeued (run, skipped, failed or discarded). It must not block.
	Done func(Result)
}

// Stats counts what a Runner did.
type Stats struct {
	Queued    uint64 // accepted by Fire
	Ran       uint64 // processes started
	Failed    uint64 // could not start, exited non-zero or were killed
	TimedOut  uint64 // killed by Timeout
	Skipped   uint64 // not executable or not a regular file
	Dropped   uint64 // refused by Fire because the queue was full
	Discarded uint64 // queued but dropped by Close
}

// Runner runs triggers one at a time, in the order they were fired, on its
// own goroutine. It is safe for concurrent use.
type Runner struct {
	cfg      Config
	log      *logWriter // nil when Config.Log is nil
	queue    chan Call
	mu       sync.Mutex // guards closed and sends on queue
	closed   bool
	stopping chan struct{} // closed by Close: drain, then exit
	ctx      context.Context
	abort    context.CancelFunc // kills the running trigger; discards the rest
	done     chan struct{}      // closed when the worker has exited
	overflow atomic.Bool        // queue full; reset when the worker catches up

	queued, ran, failed, timedOut, skipped, dropped, discarded atomic.Uint64
}

// New starts a Runner. Dir must be set; it is made absolute.
func New(cfg Config) (*Runner, error) {
	if cfg.Dir == "" {
		return nil, errors.New("triggers: no trigger directory")
	}
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("triggers: trigger directory %q: %w", cfg.Dir, err)
	}
	cfg.Dir = dir
	if cfg.Timeout < 0 {
		return nil, fmt.Errorf("triggers: negative timeout %v", cfg.Timeout)
	}
	if cfg.QueueSize <= 0 {
		cfg.QueueSize = DefaultQueueSize
	}
	if cfg.CloseTimeout <= 0 {
		cfg.CloseTimeout = DefaultCloseTimeout
	}
	if cfg.MaxOutputBytes <= 0 {
		cfg.MaxOutputBytes = DefaultMaxOutputBytes
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Environ == nil {
		cfg.Environ = os.Environ
	}
	ctx, abort := context.WithCancel(context.Background())
	r := &Runner{
		cfg:      cfg,
		queue:    make(chan Call, cfg.QueueSize),
		stopping: make(chan struct{}),
		ctx:      ctx,
		abort:    abort,
		done:     make(chan struct{}),
	}
	if cfg.Log != nil {
		r.log = &logWriter{w: cfg.Log, now: cfg.Now}
	}
	go r.loop()
	return r, nil
}

// Dir is the absolute trigger directory.
func (r *Runner) Dir() string { return r.cfg.Dir }

// Fire queues c and returns at once; it never waits for a trigger to start
// or finish. It returns nil when c was queued, ErrNoTrigger when the
// directory has no such file (nothing to do), and ErrBadName, ErrQueueFull
// or ErrClosed when c was refused. Args and Stdin are copied.
func (r *Runner) Fire(c Call) error {
	if !ValidName(c.Name) {
		return fmt.Errorf("%w: %q", ErrBadName, c.Name)
	}
	if !r.Exists(c.Name) {
		return ErrNoTrigger
	}
	c.Args = append([]string(nil), c.Args...)
	c.Stdin = append([]byte(nil), c.Stdin...)
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return ErrClosed
	}
	select {
	case r.queue <- c:
		r.queued.Add(1)
		r.mu.Unlock()
		return nil
	default:
	}
	r.mu.Unlock()
	r.dropped.Add(1)
	if r.overflow.CompareAndSwap(false, true) {
		r.cfg.Logger.Warn("trigger queue full: dropping triggers until it drains (a trigger may be hanging)",
			"trigger", c.Name, "queueSize", r.cfg.QueueSize)
	}
	r.log.event("drop", c, fmt.Sprintf("queue full (%d waiting)", r.cfg.QueueSize))
	return ErrQueueFull
}

// Exists reports whether the trigger directory may have a file called name
// (runnable or not): false only for an invalid name or a file that does not
// exist, so that callers can skip preparing a trigger nobody installed. Other
// errors (a trigger directory the daemon cannot read) count as existing: the
// worker then logs why the trigger could not run.
func (r *Runner) Exists(name string) bool {
	if !ValidName(name) {
		return false
	}
	_, err := os.Lstat(filepath.Join(r.cfg.Dir, name))
	return !errors.Is(err, os.ErrNotExist)
}

// Stats returns the counters so far.
func (r *Runner) Stats() Stats {
	return Stats{
		Queued: r.queued.Load(), Ran: r.ran.Load(), Failed: r.failed.Load(), TimedOut: r.timedOut.Load(),
		Skipped: r.skipped.Load(), Dropped: r.dropped.Load(), Discarded: r.discarded.Load(),
	}
}

// Close stops accepting triggers and lets the queued ones run for up to
// CloseTimeout; then it kills the running trigger's process group, discards
// the rest and returns an error saying so. Close is idempotent.
func (r *Runner) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		<-r.done
		return nil
	}
	r.closed = true
	close(r.stopping)
	r.mu.Unlock()
	t := time.NewTimer(r.cfg.CloseTimeout)
	defer t.Stop()
	select {
	case <-r.done:
		r.abort()
		return nil
	case <-t.C:
	}
	r.abort()
	// A killed process is reaped at once and its pipes are closed after
	// waitDelay; give up on a process stuck in the kernel.
	t.Reset(waitDelay + time.Second)
	select {
	case <-r.done:
	case <-t.C:
		return fmt.Errorf("triggers: a trigger outlived its kill after %v; not waiting for it", r.cfg.CloseTimeout)
	}
	return fmt.Errorf("triggers: stopped after %v: killed the running trigger, discarded %d queued",
		r.cfg.CloseTimeout, r.discarded.Load())
}

// loop is the worker: one trigger at a time, in queue order.
func (r *Runner) loop() {
	defer close(r.done)
	for {
		select {
		case c := <-r.queue:
			r.handle(c)
		case <-r.stopping:
			for {
				select {
				case c := <-r.queue:
					r.handle(c)
				default:
					return
				}
			}
		}
	}
}

// handle runs c, or discards it once Close has given up waiting.
func (r *Runner) handle(c Call) {
	if r.ctx.Err() != nil {
		r.discard(c)
		return
	}
	r.runOne(c)
}

func (r *Runner) discard(c Call) {
	r.discarded.Add(1)
	r.log.event("discard", c, "daemon stopping")
	r.finish(Result{Call: c, Start: r.cfg.Now(), ExitCode: -1, Err: errDiscarded})
}

func (r *Runner) runOne(c Call) {
	if len(r.queue) == 0 && r.overflow.CompareAndSwap(true, false) {
		r.cfg.Logger.Info("trigger queue drained", "dropped", r.dropped.Load())
	}
	res := r.execute(c)
	switch {
	case res.Skipped:
		r.skipped.Add(1)
	case res.Ran:
		r.ran.Add(1)
	}
	if res.TimedOut {
		r.timedOut.Add(1)
	}
	if !res.Skipped && res.Err != nil {
		r.failed.Add(1)
	}
	r.finish(res)
}

func (r *Runner) finish(res Result) {
	if r.cfg.Done != nil {
		r.cfg.Done(res)
	}
}
