package main

import (
	"context"
	"fmt"
	"path"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/client"
)

// serverToServer copies srcs (paths on the daemon via) to dst as one
// server-to-server transfer: jscp logs in to via and asks it to send
// (createDestination, createManifest, createTransfer) with dst's
// credentials, then follows the transfer unless --detach.
func (c *cli) serverToServer(ctx context.Context, p *printer, via remoteSpec, srcs []string, dst remoteSpec) error {
	maxK, minK, err := c.rates()
	if err != nil {
		return err
	}
	if dst.Path == "" {
		return fail(exitUsage, "usage", "%s: has no path after the colon", dst.Host)
	}
	dstUser, err := c.userFor(dst)
	if err != nil {
		return err
	}
	dstPass, err := password(dstUser, dst.Host, "JETSTREAM_DEST_PASSWORD", "JETSTREAM_API_PASSWORD")
	if err != nil {
		return err
	}
	// Log in to the receiver first: bad credentials fail here, clearly, and
	// scp's "existing directory" rule needs a listing.
	dcl, err := c.connectAs(ctx, p, dst, dstUser, dstPass)
	if err != nil {
		return err
	}
	dstIsDir, err := c.remoteIsDir(ctx, dcl, dst, len(srcs) > 1 && c.pairTargets == nil)
	dcl.Close()
	if err != nil {
		return err
	}
	cl, err := c.connect(ctx, p, via)
	if err != nil {
		return err
	}
	defer cl.Close()
	mappings := map[string]string{}
	for i, s := range srcs {
		ls, err := cl.Ls(ctx, s, true)
		if err != nil {
			return apiErr(fmt.Errorf("%s:%s: %w", via.Host, s, err))
		}
		if len(ls.Files) == 1 && ls.Files[0].Type&api.FileTypeDirectory != 0 && !c.Recursive {
			return fail(exitNoSource, "source", "%s:%s is a directory (use -r)", via.Host, s)
		}
		target := path.Clean(dst.Path)
		switch {
		case c.pairTargets != nil:
			target = path.Join(target, c.pairTargets[i])
		case dstIsDir:
			target = path.Join(target, path.Base(path.Clean(s)))
		}
		mappings[s] = target
	}
	var dest api.Destination
	if err := cl.Call(ctx, "send.createDestination", map[string]any{"destinationAddress": dst.Host,
		"destinationApiPort": c.apiPort(dst), "userName": dstUser, "password": dstPass,
		"sendRateMax": maxK, "minRate": minK, "policy": orElse(c.Policy, api.PolicyFair)}, &dest); err != nil {
		return apiErr(err)
	}
	m, err := buildManifest(ctx, cl, mappings)
	if err != nil {
		return err
	}
	var tr api.Transfer
	if err := cl.Call(ctx, "send.createTransfer", map[string]any{"destinationId": dest.DestinationID,
		"manifestId": m.ManifestID, "destinationPath": c.DestPath, "overwrite": overwriteModes[c.Overwrite],
		"minCipher": c.cipherLevel(), "sendRateMax": maxK, "minRate": minK, "policy": orElse(c.Policy, api.PolicyFair)}, &tr); err != nil {
		return apiErr(err)
	}
	p.event("transfer", map[string]any{"transferId": tr.TransferID, "host": via.Host})
	if c.Detach {
		p.out2("%s", tr.TransferID)
		p.info("jscp: transfer %s runs on %s; follow it with: jetstream api send.getTransfer --transferId %s", tr.TransferID, via.Host, tr.TransferID)
		return nil
	}
	return c.follow(ctx, p, cl, via, tr.TransferID)
}

// remoteIsDir applies scp's rule for a remote DEST: a directory when it
// exists as one or ends in '/'; several sources need an existing one.
func (c *cli) remoteIsDir(ctx context.Context, cl *client.Client, dst remoteSpec, several bool) (bool, error) {
	ls, err := cl.Ls(ctx, path.Join(c.DestPath, dst.Path), true)
	return isDirAnswer(ls, err, dst, several)
}

// isDirAnswer is remoteIsDir's rule applied to the answer of the DEST probe.
func isDirAnswer(ls api.LsResult, err error, dst remoteSpec, several bool) (bool, error) {
	switch {
	case err == nil && len(ls.Files) == 1 && ls.Files[0].Type&api.FileTypeDirectory != 0:
		return true, nil
	case err == nil && several:
		return false, fail(exitUsage, "usage", "%s: is not a directory (several sources need a directory)", dst.Path)
	case err != nil && several && api.CodeOf(err) == api.CodeNotFound:
		return false, fail(exitUsage, "usage", "%s: no such directory on %s (several sources need an existing directory)", dst.Path, dst.Host)
	}
	return len(dst.Path) > 0 && dst.Path[len(dst.Path)-1] == '/', nil
}

// buildManifest creates a manifest and waits until the daemon has listed it.
func buildManifest(ctx context.Context, cl *client.Client, mappings map[string]string) (api.Manifest, error) {
	var m api.Manifest
	if err := cl.Call(ctx, "send.createManifest", map[string]any{"fileMappings": mappings}, &m); err != nil {
		return m, apiErr(err)
	}
	for m.Status == api.ManifestPending {
		if err := cl.Call(ctx, "send.waitForManifest", map[string]any{"manifestId": m.ManifestID, "timeoutSeconds": 10}, &m); err != nil {
			return m, apiErr(err)
		}
	}
	if m.Status == api.ManifestError {
		msg := "unknown error"
		if m.ErrorMessage != nil {
			msg = *m.ErrorMessage
		}
		return m, fail(exitNoSource, "source", "the sending server cannot list the sources: %s", msg)
	}
	return m, nil
}

// follow polls a server-side transfer, printing progress, until it ends.
func (c *cli) follow(ctx context.Context, p *printer, cl *client.Client, via remoteSpec, id string) error {
	tick := time.NewTicker(c.pollEvery())
	defer tick.Stop()
	for {
		tr, err := cl.Transfer(ctx, id)
		if err != nil {
			if ctx.Err() != nil {
				p.info("jscp: transfer %s continues on %s (jetstream api send.getTransfer --transferId %s)", id, via.Host, id)
				return ctx.Err()
			}
			return apiErr(err)
		}
		st := transferStats(tr)
		p.progress(st)
		switch tr.Status {
		case api.TransferComplete, api.TransferError, api.TransferCancelled, api.TransferSuspended:
			return transferOutcome(p, tr, st)
		}
		select {
		case <-ctx.Done():
			p.info("jscp: transfer %s continues on %s (jetstream api send.getTransfer --transferId %s)", id, via.Host, id)
			return ctx.Err()
		case <-tick.C:
		}
	}
}

func (c *cli) pollEvery() time.Duration {
	if c.Interval > 0 && c.Interval < 500*time.Millisecond {
		return c.Interval
	}
	return 500 * time.Millisecond
}
