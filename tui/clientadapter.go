package tui

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/tui/common"
)

// ErrDirectTransfer is returned by ClientAdapter.StartTransfer for uploads
// and downloads: they need the transfer engine (net/peer), which the TUI
// package does not link; cmd/jetstream wraps the adapter in a
// tui/direct.Client to add them.
var ErrDirectTransfer = errors.New("uploads and downloads need the direct transfer engine, which this build does not wire in")

// SetPriorityMethod is the API method SetPriority calls when the wire
// contract has it.
const SetPriorityMethod = "send.setTransferPriority"

// ClientAdapter implements Client over a *client.Client (one API
// connection). Server-to-server transfers are queued through the daemon
// (send.createDestination, createManifest, createTransfer).
type ClientAdapter struct {
	C *client.Client
	// ManifestTimeout bounds the wait for a manifest (default 2 minutes,
	// and never beyond the call's context).
	ManifestTimeout time.Duration
}

var _ common.Client = (*ClientAdapter)(nil)

// NewClientAdapter wraps c.
func NewClientAdapter(c *client.Client) *ClientAdapter { return &ClientAdapter{C: c} }

// LsRoots implements Client.
func (a *ClientAdapter) LsRoots(ctx context.Context) (api.LsResult, error) { return a.C.LsRoots(ctx) }

// Ls implements Client.
func (a *ClientAdapter) Ls(ctx context.Context, path string) (api.LsResult, error) {
	return a.C.Ls(ctx, path, false)
}

// Du implements Client.
func (a *ClientAdapter) Du(ctx context.Context, path string) (int64, error) { return a.C.Du(ctx, path) }

// Mkdir implements Client.
func (a *ClientAdapter) Mkdir(ctx context.Context, path string) error { return a.C.Mkdir(ctx, path) }

// Mv implements Client.
func (a *ClientAdapter) Mv(ctx context.Context, path, newPath string) error {
	return a.C.Mv(ctx, path, newPath)
}

// Rm implements Client.
func (a *ClientAdapter) Rm(ctx context.Context, path string) error { return a.C.Rm(ctx, path) }

// ServerInfo implements Client.
func (a *ClientAdapter) ServerInfo(ctx context.Context) (api.ServerInfo, error) {
	return a.C.ServerInfo(ctx)
}

// EventLog implements Client.
func (a *ClientAdapter) EventLog(ctx context.Context, f common.EventFilter) ([]api.Event, error) {
	p := map[string]any{}
	if f.Name != "" {
		p["eventName"] = f.Name
	}
	if f.After != 0 {
		p["after"] = f.After
	}
	if f.Before != 0 {
		p["before"] = f.Before
	}
	if f.Limit > 0 {
		p["limit"] = f.Limit
	}
	return a.C.EventLog(ctx, p)
}

// Watch implements Client.
func (a *ClientAdapter) Watch(ctx context.Context, names []string) (common.EventStream, error) {
	w, err := a.C.Watch(ctx, api.WatchParams{Events: names})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// Transfers implements Client.
func (a *ClientAdapter) Transfers(ctx context.Context) ([]api.Transfer, error) {
	return a.C.Transfers(ctx)
}

// TransferAction implements Client.
func (a *ClientAdapter) TransferAction(ctx context.Context, action common.TransferAction, id string) error {
	var method string
	switch action {
	case common.ActionSuspend:
		method = "send.suspendTransfer"
	case common.ActionResume:
		method = "send.resumeTransfer"
	case common.ActionCancel:
		method = "send.cancelTransfer"
	default:
		return fmt.Errorf("unknown transfer action %q", action)
	}
	return a.C.TransferAction(ctx, method, id)
}

// SetPriority implements Client with send.setTransferPriority. A server
// too old to know the method answers unknown_method; that becomes a
// not_enabled error that says so, rather than the bare protocol message.
func (a *ClientAdapter) SetPriority(ctx context.Context, id string, priority int) error {
	err := a.C.Call(ctx, SetPriorityMethod, map[string]any{"transferId": id, "priority": priority}, nil)
	if api.CodeOf(err) == api.CodeUnknownMethod {
		return api.Errorf(api.CodeNotEnabled, "this server cannot change transfer priorities (it has no %s; upgrade it)", SetPriorityMethod)
	}
	return err
}

// ManifestFiles implements Client.
func (a *ClientAdapter) ManifestFiles(ctx context.Context, manifestID string) ([]api.FileMapping, error) {
	var r api.ManifestFiles
	err := a.C.Call(ctx, "send.getManifestFiles", map[string]string{"manifestId": manifestID}, &r)
	return r.FileMappings, err
}

// Close implements Client.
func (a *ClientAdapter) Close() error { return a.C.Close() }

// StartTransfer implements Client: server-to-server transfers are queued
// on this server; uploads and downloads return ErrDirectTransfer.
func (a *ClientAdapter) StartTransfer(ctx context.Context, spec common.TransferSpec) (string, error) {
	if err := checkSpec(spec); err != nil {
		return "", err
	}
	if spec.Direction != common.RemoteToRemote {
		return "", ErrDirectTransfer
	}
	dest := *spec.Destination
	tp, err := dest.TransferParams()
	if err != nil {
		return "", err
	}
	host, port := dest.Dial()
	dp := map[string]any{"destinationAddress": host, "destinationApiPort": port}
	if dest.User != "" {
		dp["userName"] = dest.User
	}
	if spec.DestinationPassword != "" {
		dp["password"] = spec.DestinationPassword
	}
	addRates(dp, tp)
	var d api.Destination
	if err := a.C.Call(ctx, "send.createDestination", dp, &d); err != nil {
		return "", fmt.Errorf("create destination %s: %w", dest.Label(), err)
	}
	mappings := make(map[string]string, len(spec.Files))
	for _, f := range spec.Files {
		mappings[f.Source] = f.Target
	}
	var man api.Manifest
	if err := a.C.Call(ctx, "send.createManifest", map[string]any{"fileMappings": mappings}, &man); err != nil {
		return "", fmt.Errorf("create manifest: %w", err)
	}
	if err := a.waitManifest(ctx, &man); err != nil {
		return "", err
	}
	tparams := map[string]any{
		"destinationId":   d.DestinationID,
		"manifestId":      man.ManifestID,
		"destinationPath": spec.DestDir,
		"overwrite":       spec.Overwrite,
	}
	if spec.Priority != 0 {
		tparams["priority"] = spec.Priority
	}
	if tp.MinCipher >= 0 {
		tparams["minCipher"] = tp.MinCipher
	}
	var t api.Transfer
	if err := a.C.Call(ctx, "send.createTransfer", tparams, &t); err != nil {
		return "", fmt.Errorf("create transfer: %w", err)
	}
	if t.TransferID == "" {
		return "", errors.New("create transfer: the server returned no transfer id")
	}
	return t.TransferID, nil
}

// waitManifest blocks until the manifest is built (or failed).
func (a *ClientAdapter) waitManifest(ctx context.Context, man *api.Manifest) error {
	if man.ManifestID == "" {
		return errors.New("create manifest: the server returned no manifest id")
	}
	if man.Status == api.ManifestPending || man.Processing || man.Status == "" {
		timeout := a.ManifestTimeout
		if timeout <= 0 {
			timeout = 2 * time.Minute
		}
		if dl, ok := ctx.Deadline(); ok {
			timeout = min(timeout, time.Until(dl))
		}
		secs := math.Max(timeout.Seconds(), 0.001)
		if err := a.C.Call(ctx, "send.waitForManifest",
			map[string]any{"manifestId": man.ManifestID, "timeoutSeconds": secs}, man); err != nil {
			return fmt.Errorf("wait for manifest %s: %w", man.ManifestID, err)
		}
	}
	if man.Status == api.ManifestError {
		msg := "unknown error"
		if man.ErrorMessage != nil {
			msg = *man.ErrorMessage
		}
		return fmt.Errorf("manifest %s failed: %s", man.ManifestID, msg)
	}
	return nil
}

func addRates(p map[string]any, tp common.TransferParams) {
	if tp.RateKbps > 0 {
		p["sendRateMax"] = tp.RateKbps
	}
	if tp.MinRateKbps > 0 {
		p["minRate"] = tp.MinRateKbps
	}
	if tp.Policy != "" {
		p["policy"] = tp.Policy
	}
}

// checkSpec refuses incomplete specs before anything reaches a server.
func checkSpec(s common.TransferSpec) error {
	switch {
	case len(s.Files) == 0:
		return errors.New("no files to transfer")
	case s.Direction == common.RemoteToRemote && s.Destination == nil:
		return errors.New("server-to-server transfer without a destination server")
	case s.Direction != common.Upload && s.Direction != common.Download && s.Direction != common.RemoteToRemote:
		return fmt.Errorf("unknown transfer direction %d", s.Direction)
	}
	seen := map[string]bool{}
	for _, f := range s.Files {
		if f.Source == "" || f.Target == "" {
			return errors.New("a file of the transfer has an empty source or target")
		}
		if seen[f.Source] {
			return fmt.Errorf("%s is listed twice", f.Source)
		}
		seen[f.Source] = true
	}
	return nil
}
