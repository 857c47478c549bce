package tuitest

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/tui/common"
)

// Client is an in-memory server. Its zero value is not usable: use
// NewClient. All methods are safe for concurrent use.
type Client struct {
	mu        sync.Mutex
	Roots     []api.FileEntry
	Dirs      map[string][]api.FileEntry // listing by path
	DuSizes   map[string]int64
	Info      api.ServerInfo
	Log       []api.Event
	transfers []api.Transfer
	Files     map[string][]api.FileMapping // by manifest id
	Errs      map[string]error             // method name → error to return
	Calls     []string                     // "Method arg..." in call order
	Specs     []common.TransferSpec
	Stream    *Stream
	closed    bool
	nextID    int
	// Panic makes the named method panic (to test that the UI survives).
	Panic string
}

// NewClient returns an empty server with an event stream.
func NewClient() *Client {
	return &Client{
		Dirs: map[string][]api.FileEntry{}, DuSizes: map[string]int64{},
		Files: map[string][]api.FileMapping{}, Errs: map[string]error{}, Stream: NewStream(),
	}
}

var _ common.Client = (*Client)(nil)

func (c *Client) call(method string, args ...any) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := method
	for _, a := range args {
		s += fmt.Sprintf(" %v", a)
	}
	c.Calls = append(c.Calls, s)
	if c.Panic == method {
		panic("fake " + method + " panics")
	}
	if c.closed {
		return fmt.Errorf("fake client closed")
	}
	return c.Errs[method]
}

// CallLog returns the calls made so far.
func (c *Client) CallLog() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.Calls...)
}

// SetErr makes a method fail (nil clears it).
func (c *Client) SetErr(method string, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.Errs[method] = err
}

// SetTransfers replaces the transfers the server reports.
func (c *Client) SetTransfers(ts ...api.Transfer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.transfers = append([]api.Transfer(nil), ts...)
}

// SetDir sets the listing of a path.
func (c *Client) SetDir(p string, es ...api.FileEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.Dirs[p] = append([]api.FileEntry(nil), es...)
}

// LsRoots implements common.Client.
func (c *Client) LsRoots(context.Context) (api.LsResult, error) {
	if err := c.call("LsRoots"); err != nil {
		return api.LsResult{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return api.LsResult{Files: append([]api.FileEntry(nil), c.Roots...)}, nil
}

// Ls implements common.Client.
func (c *Client) Ls(_ context.Context, p string) (api.LsResult, error) {
	if err := c.call("Ls", p); err != nil {
		return api.LsResult{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	es, ok := c.Dirs[p]
	if !ok {
		return api.LsResult{}, api.Errorf(api.CodeNotFound, "%s: no such directory", p)
	}
	return api.LsResult{Path: p, Files: append([]api.FileEntry(nil), es...)}, nil
}

// Du implements common.Client.
func (c *Client) Du(_ context.Context, p string) (int64, error) {
	if err := c.call("Du", p); err != nil {
		return 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.DuSizes[p], nil
}

// Mkdir implements common.Client.
func (c *Client) Mkdir(_ context.Context, p string) error {
	if err := c.call("Mkdir", p); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	dir, name := splitPath(p)
	c.Dirs[dir] = append(c.Dirs[dir], api.FileEntry{Name: name, Type: api.FileTypeDirectory, Access: 7})
	c.Dirs[p] = []api.FileEntry{}
	return nil
}

// Mv implements common.Client.
func (c *Client) Mv(_ context.Context, p, newPath string) error {
	if err := c.call("Mv", p, newPath); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	dir, name := splitPath(p)
	ndir, nname := splitPath(newPath)
	var moved *api.FileEntry
	var rest []api.FileEntry
	for _, e := range c.Dirs[dir] {
		if e.Name == name {
			e := e
			moved = &e
			continue
		}
		rest = append(rest, e)
	}
	if moved == nil {
		return api.Errorf(api.CodeNotFound, "%s: not found", p)
	}
	c.Dirs[dir] = rest
	moved.Name = nname
	c.Dirs[ndir] = append(c.Dirs[ndir], *moved)
	return nil
}

// Rm implements common.Client.
func (c *Client) Rm(_ context.Context, p string) error {
	if err := c.call("Rm", p); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	dir, name := splitPath(p)
	var rest []api.FileEntry
	for _, e := range c.Dirs[dir] {
		if e.Name != name {
			rest = append(rest, e)
		}
	}
	c.Dirs[dir] = rest
	return nil
}

// splitPath splits "/a/b" or "root:/a/b" into its directory and name.
func splitPath(p string) (string, string) {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return "", p
	}
	dir := p[:i]
	if dir == "" || strings.HasSuffix(dir, ":") {
		dir += "/"
	}
	return dir, path.Base(p)
}

// ServerInfo implements common.Client.
func (c *Client) ServerInfo(context.Context) (api.ServerInfo, error) {
	if err := c.call("ServerInfo"); err != nil {
		return api.ServerInfo{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.Info, nil
}

// EventLog implements common.Client.
func (c *Client) EventLog(_ context.Context, f common.EventFilter) ([]api.Event, error) {
	if err := c.call("EventLog", f.Limit); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]api.Event(nil), c.Log...), nil
}

// Watch implements common.Client.
func (c *Client) Watch(context.Context, []string) (common.EventStream, error) {
	if err := c.call("Watch"); err != nil {
		return nil, err
	}
	return c.Stream, nil
}

// Transfers implements common.Client.
func (c *Client) Transfers(context.Context) ([]api.Transfer, error) {
	if err := c.call("Transfers"); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]api.Transfer(nil), c.transfers...), nil
}

// TransferAction implements common.Client.
func (c *Client) TransferAction(_ context.Context, a common.TransferAction, id string) error {
	if err := c.call("TransferAction", a, id); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range c.transfers {
		if c.transfers[i].TransferID == id {
			switch a {
			case common.ActionSuspend:
				c.transfers[i].Status = api.TransferSuspended
			case common.ActionResume:
				c.transfers[i].Status = api.TransferActive
			case common.ActionCancel:
				c.transfers[i].Status = api.TransferCancelled
			}
			return nil
		}
	}
	return api.Errorf(api.CodeNotFound, "no transfer %s", id)
}

// SetPriority implements common.Client.
func (c *Client) SetPriority(_ context.Context, id string, p int) error {
	if err := c.call("SetPriority", id, p); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range c.transfers {
		if c.transfers[i].TransferID == id {
			c.transfers[i].Priority = p
			return nil
		}
	}
	return api.Errorf(api.CodeNotFound, "no transfer %s", id)
}

// ManifestFiles implements common.Client.
func (c *Client) ManifestFiles(_ context.Context, id string) ([]api.FileMapping, error) {
	if err := c.call("ManifestFiles", id); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.Files[id], nil
}

// StartTransfer implements common.Client: it records the spec and adds a
// pending transfer "t1", "t2", ….
func (c *Client) StartTransfer(_ context.Context, spec common.TransferSpec) (string, error) {
	if err := c.call("StartTransfer", spec.Direction, len(spec.Files)); err != nil {
		return "", err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.Specs = append(c.Specs, spec)
	c.nextID++
	id := fmt.Sprintf("t%d", c.nextID)
	c.transfers = append(c.transfers, api.Transfer{TransferID: id, Status: api.TransferPending, DestinationPath: spec.DestDir})
	return id, nil
}

// TransferSpecs returns the specs queued so far.
func (c *Client) TransferSpecs() []common.TransferSpec {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]common.TransferSpec(nil), c.Specs...)
}

// Close implements common.Client.
func (c *Client) Close() error {
	c.call("Close")
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	return nil
}

// Entries builds a sorted listing from "name" (file) and "name/" (dir)
// specs with a size and a Unix mtime.
func Entries(mtime int64, specs ...string) []api.FileEntry {
	out := make([]api.FileEntry, 0, len(specs))
	for i, s := range specs {
		e := api.FileEntry{Name: strings.TrimSuffix(s, "/"), Type: api.FileTypeRegular, Size: int64(1024 * (i + 1) * (i + 1)), Mtime: mtime, Access: 6}
		if strings.HasSuffix(s, "/") {
			e.Type, e.Size = api.FileTypeDirectory, 0
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
