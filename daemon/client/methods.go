package client

import (
	"context"
	"encoding/json"

	"github.com/jetstream-go/jetstream/daemon/api"
)

// Auth logs in with a user name and password.
func (c *Client) Auth(ctx context.Context, user, password string) error {
	return c.Call(ctx, "auth", map[string]string{"userName": user, "password": password}, nil)
}

// Superuser raises the session to superuser.
func (c *Client) Superuser(ctx context.Context) error {
	return c.Call(ctx, "superuser", nil, nil)
}

// ServerInfo returns the Server Information Structure.
func (c *Client) ServerInfo(ctx context.Context) (api.ServerInfo, error) {
	var si api.ServerInfo
	err := c.Call(ctx, "getServerInfo", nil, &si)
	return si, err
}

// Async calls an *Async method and waits for its result, decoded into out.
func (c *Client) Async(ctx context.Context, method string, params, out any) error {
	var ref api.RequestRef
	if err := c.Call(ctx, method, params, &ref); err != nil {
		return err
	}
	return c.Result(ctx, ref.RequestID, out)
}

// Result waits for the result of an asynchronous request.
func (c *Client) Result(ctx context.Context, requestID int64, out any) error {
	return c.Call(ctx, "getRequestResult", map[string]int64{"requestId": requestID}, out)
}

// LsRoots lists the user's roots.
func (c *Client) LsRoots(ctx context.Context) (api.LsResult, error) {
	var r api.LsResult
	err := c.Async(ctx, "lsRootsAsync", nil, &r)
	return r, err
}

// Ls lists a directory (or stats it with directory=true).
func (c *Client) Ls(ctx context.Context, path string, directory bool) (api.LsResult, error) {
	var r api.LsResult
	err := c.Async(ctx, "lsAsync", map[string]any{"path": path, "directory": directory}, &r)
	return r, err
}

// Du returns the total size of the files under path.
func (c *Client) Du(ctx context.Context, path string) (int64, error) {
	var r api.DuResult
	err := c.Async(ctx, "duAsync", map[string]any{"path": path}, &r)
	return r.Du, err
}

// Mkdir creates a directory and its parents.
func (c *Client) Mkdir(ctx context.Context, path string) error {
	return c.Async(ctx, "mkdirAsync", map[string]any{"path": path}, nil)
}

// Mv moves or renames a path.
func (c *Client) Mv(ctx context.Context, path, newPath string) error {
	return c.Async(ctx, "mvAsync", map[string]any{"path": path, "newPath": newPath}, nil)
}

// Rm removes a path recursively.
func (c *Client) Rm(ctx context.Context, path string) error {
	return c.Async(ctx, "rmAsync", map[string]any{"path": path}, nil)
}

// EventLog returns events matching the filter parameters (see getEventLog).
func (c *Client) EventLog(ctx context.Context, params map[string]any) ([]api.Event, error) {
	var r api.EventLog
	err := c.Call(ctx, "getEventLog", params, &r)
	return r.EventLog, err
}

// Transfers lists the send-side transfers visible to the user.
func (c *Client) Transfers(ctx context.Context) ([]api.Transfer, error) {
	var r struct {
		Transfers []api.Transfer `json:"transfers"`
	}
	err := c.Call(ctx, "send.getTransfers", nil, &r)
	return r.Transfers, err
}

// Transfer returns one transfer.
func (c *Client) Transfer(ctx context.Context, id string) (api.Transfer, error) {
	var t api.Transfer
	err := c.Call(ctx, "send.getTransfer", map[string]string{"transferId": id}, &t)
	return t, err
}

// TransferAction calls send.suspendTransfer, resumeTransfer, cancelTransfer
// or deleteTransfer.
func (c *Client) TransferAction(ctx context.Context, method, id string) error {
	return c.Call(ctx, method, map[string]string{"transferId": id}, nil)
}

// Raw is a convenience for callers that print results verbatim.
func (c *Client) Raw(ctx context.Context, method string, params map[string]json.RawMessage) (json.RawMessage, error) {
	return c.CallRaw(ctx, method, params)
}
