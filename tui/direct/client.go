package direct

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/tui/common"
)

// Runner runs one direct transfer to its end. It reports progress through
// progress (from any goroutine, as often as it likes) and returns nil only
// when every file arrived. It must return soon after ctx ends.
type Runner func(ctx context.Context, spec common.TransferSpec, progress func(Progress)) error

// DefaultCloseTimeout bounds how long Close waits for running transfers to
// stop once they are cancelled.
const DefaultCloseTimeout = 10 * time.Second

// maxFinished is how many finished direct transfers stay listed.
const maxFinished = 100

// Client is a server's Client plus direct uploads and downloads run by a
// Runner. Server-to-server transfers and every other call go to the
// embedded Client.
type Client struct {
	common.Client
	run Runner
	now func() time.Time
	// CloseTimeout bounds Close's wait for cancelled transfers
	// (DefaultCloseTimeout when zero).
	CloseTimeout time.Duration
	// Policy and Cipher are shown in the rows' details: the bandwidth
	// policy and cipher level (api.Cipher*) the Runner uses.
	Policy string
	Cipher int

	ctx  context.Context
	stop context.CancelFunc
	wg   sync.WaitGroup

	mu     sync.Mutex
	jobs   []*job // in start order
	seq    int
	closed bool
}

var _ common.Client = (*Client)(nil)

// New wraps inner. now is the clock of progress times and rates (nil =
// time.Now).
func New(inner common.Client, run Runner, now func() time.Time) *Client {
	if now == nil {
		now = time.Now
	}
	ctx, stop := context.WithCancel(context.Background())
	return &Client{Client: inner, run: run, now: now, ctx: ctx, stop: stop}
}

// StartTransfer implements common.Client: uploads and downloads start
// here at once, in their own goroutine, and outlive ctx (which bounds only
// the call); server-to-server transfers are queued by the server.
func (c *Client) StartTransfer(ctx context.Context, spec common.TransferSpec) (string, error) {
	if spec.Direction != common.Upload && spec.Direction != common.Download {
		return c.Client.StartTransfer(ctx, spec)
	}
	if err := checkSpec(spec); err != nil {
		return "", err
	}
	if c.run == nil {
		return "", errors.New("this build cannot run uploads and downloads (no transfer engine)")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return "", errors.New("the connection is closing")
	}
	c.seq++
	prefix := "up-"
	if spec.Direction == common.Download {
		prefix = "down-"
	}
	jctx, cancel := context.WithCancel(c.ctx)
	j := &job{id: fmt.Sprintf("%s%d", prefix, c.seq), spec: cloneSpec(spec), cancel: cancel,
		requested: c.now(), status: api.TransferPending, policy: c.Policy, cipher: c.Cipher}
	c.jobs = append(c.jobs, j)
	c.prune()
	c.wg.Add(1)
	go c.runJob(jctx, j)
	return j.id, nil
}

func (c *Client) runJob(ctx context.Context, j *job) {
	defer c.wg.Done()
	defer j.cancel()
	err := safeRun(ctx, c.run, j.spec, func(p Progress) {
		c.mu.Lock()
		defer c.mu.Unlock()
		j.report(c.now(), p)
	})
	c.mu.Lock()
	defer c.mu.Unlock()
	j.finish(c.now(), err)
}

// safeRun calls run, turning a panic into an error.
func safeRun(ctx context.Context, run Runner, spec common.TransferSpec, progress func(Progress)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error in the transfer: %v", r)
		}
	}()
	return run(ctx, spec, progress)
}

// prune drops the oldest finished transfers beyond maxFinished.
func (c *Client) prune() {
	finished := 0
	for _, j := range c.jobs {
		if !j.running() {
			finished++
		}
	}
	if finished <= maxFinished {
		return
	}
	kept := c.jobs[:0]
	for _, j := range c.jobs {
		if !j.running() && finished > maxFinished {
			finished--
			continue
		}
		kept = append(kept, j)
	}
	c.jobs = kept
}

func (c *Client) job(id string) *job {
	for _, j := range c.jobs {
		if j.id == id {
			return j
		}
	}
	return nil
}

// Transfers implements common.Client: the server's transfers, then the
// direct ones.
func (c *Client) Transfers(ctx context.Context) ([]api.Transfer, error) {
	ts, err := c.Client.Transfers(ctx)
	if err != nil {
		return nil, err
	}
	return append(ts, c.Local()...), nil
}

// Local returns the direct transfers as rows.
func (c *Client) Local() []api.Transfer {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]api.Transfer, 0, len(c.jobs))
	for _, j := range c.jobs {
		out = append(out, j.transfer())
	}
	return out
}

// Running is the number of direct transfers not finished yet.
func (c *Client) Running() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, j := range c.jobs {
		if j.running() {
			n++
		}
	}
	return n
}

// TransferAction implements common.Client. Direct transfers can be
// cancelled, not suspended: they run in this program, not in a queue.
func (c *Client) TransferAction(ctx context.Context, action common.TransferAction, id string) error {
	c.mu.Lock()
	j := c.job(id)
	if j == nil {
		c.mu.Unlock()
		return c.Client.TransferAction(ctx, action, id)
	}
	defer c.mu.Unlock()
	switch action {
	case common.ActionCancel:
		if !j.running() {
			return api.Errorf(api.CodeConflict, "transfer %s is %s already", id, j.status)
		}
		j.cancelled = true
		j.cancel()
		return nil
	case common.ActionSuspend, common.ActionResume:
		return api.Errorf(api.CodeNotEnabled,
			"%s is a direct %s run by this program: it cannot be suspended or resumed, only cancelled", id, j.spec.Direction)
	}
	return fmt.Errorf("unknown transfer action %q", action)
}

// SetPriority implements common.Client; direct transfers have no queue.
func (c *Client) SetPriority(ctx context.Context, id string, priority int) error {
	c.mu.Lock()
	j := c.job(id)
	c.mu.Unlock()
	if j == nil {
		return c.Client.SetPriority(ctx, id, priority)
	}
	return api.Errorf(api.CodeNotEnabled, "%s is a direct %s: it runs at once and has no queue priority", id, j.spec.Direction)
}

// ManifestFiles implements common.Client, answering for direct transfers
// from their spec.
func (c *Client) ManifestFiles(ctx context.Context, manifestID string) ([]api.FileMapping, error) {
	id, ok := strings.CutPrefix(manifestID, ManifestPrefix)
	if !ok {
		return c.Client.ManifestFiles(ctx, manifestID)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if j := c.job(id); j != nil {
		return j.files(), nil
	}
	return nil, api.Errorf(api.CodeNotFound, "direct transfer %s is no longer listed", id)
}

// Close cancels the running direct transfers, waits for them to stop (at
// most CloseTimeout), and closes the server connection.
func (c *Client) Close() error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.stop()
	done := make(chan struct{})
	go func() { c.wg.Wait(); close(done) }()
	timeout := c.CloseTimeout
	if timeout <= 0 {
		timeout = DefaultCloseTimeout
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	var waitErr error
	select {
	case <-done:
	case <-t.C:
		waitErr = fmt.Errorf("direct transfers did not stop within %s", timeout)
	}
	return errors.Join(waitErr, c.Client.Close())
}

// checkSpec refuses a direct transfer that cannot run.
func checkSpec(s common.TransferSpec) error {
	if len(s.Files) == 0 {
		return errors.New("no files to transfer")
	}
	if s.DestDir == "" {
		return fmt.Errorf("%s without a destination directory", s.Direction)
	}
	for _, f := range s.Files {
		if f.Source == "" || f.Target == "" {
			return errors.New("a file of the transfer has an empty source or target")
		}
	}
	return nil
}

func cloneSpec(s common.TransferSpec) common.TransferSpec {
	s.Files = append([]common.TransferFile(nil), s.Files...)
	if s.Destination != nil {
		d := *s.Destination
		s.Destination = &d
	}
	return s
}
