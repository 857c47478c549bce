package common

import (
	"context"
	"time"

	"github.com/jetstream-go/jetstream/tui/keys"
	"github.com/jetstream-go/jetstream/tui/styles"
)

// DefaultCallTimeout bounds every server call the TUI makes.
const DefaultCallTimeout = 30 * time.Second

// Common is embedded by every screen and component: the things they all
// need, injected once by the root model.
type Common struct {
	Ctx         context.Context // cancelled when the TUI exits
	Styles      *styles.Styles
	Keys        *keys.KeyMap
	Now         func() time.Time // the clock (fixed in tests)
	TZ          *time.Location   // zone for displayed times
	CallTimeout time.Duration    // bound of one server call
	Width       int              // size given to the component
	Height      int
}

// NewCommon fills the defaults of the zero fields.
func NewCommon(c Common) Common {
	if c.Ctx == nil {
		c.Ctx = context.Background()
	}
	if c.Styles == nil {
		c.Styles = styles.DefaultStyles()
	}
	if c.Keys == nil {
		c.Keys = keys.DefaultKeyMap()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.TZ == nil {
		c.TZ = time.Local
	}
	if c.CallTimeout <= 0 {
		c.CallTimeout = DefaultCallTimeout
	}
	return c
}

// CallCtx is a context for one server call.
func (c Common) CallCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.Ctx, c.CallTimeout)
}

// SetSize records the size given to the component.
func (c *Common) SetSize(w, h int) {
	c.Width, c.Height = max(w, 0), max(h, 0)
}
