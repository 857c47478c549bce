package main

import (
	"context"
	"os"
	"path"
	"strings"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/net/engine"
	"github.com/jetstream-go/jetstream/net/peer"
)

var overwriteModes = map[string]int{"never": api.OverwriteNever, "always": api.OverwriteAlways,
	"diff": api.OverwriteAlways, "same-size": api.OverwriteInPlaceSameSize}

// upload sends local srcs to dst. Round trips are what a small copy costs,
// so the login, the DEST probe and the receive ticket are pipelined: they
// share one round trip after the TLS handshake whenever the ticket does not
// depend on the probe's answer. When no answer of the daemon can change the
// file list, the list is walked while the connection is set up and the
// transfer's hello goes out with the login too (on the ticket jscp
// proposes), so the data follows the login's answer at once.
func (c *cli) upload(ctx context.Context, p *printer, srcs []string, dst remoteSpec) error {
	maxK, minK, err := c.rates()
	if err != nil {
		return err
	}
	// scp's rule: DEST is a directory when it exists as one or ends in '/';
	// several sources need an existing directory (a pair list names its
	// own targets below DEST). One source and a DEST ending in '/' is a
	// directory whatever the probe would say: no probe.
	several := len(srcs) > 1 && c.pairTargets == nil
	needProbe := several || !strings.HasSuffix(dst.Path, "/")
	listNow := !needProbe && c.Overwrite != "diff"
	// Else the ticket can still go out with the login when its total size
	// is known now (plain files, no --overwrite diff) and no answer of the
	// probe can stop the copy (one source, or a pair list).
	ticketNow := c.Overwrite != "diff" && !several
	var total int64
	for _, s := range srcs {
		fi, err := os.Stat(s)
		if err != nil {
			return wrap(exitNoSource, "source", err)
		}
		ticketNow = ticketNow && !fi.IsDir()
		total += fi.Size()
	}
	type listing struct {
		files []engine.SourceFile
		err   error
	}
	var listed chan listing
	if listNow {
		listed = make(chan listing, 1)
		go func() {
			files, err := c.collect(srcs, path.Clean(dst.Path), true)
			listed <- listing{files, err}
		}()
	}
	name, err := c.userFor(dst)
	if err != nil {
		return err
	}
	pass, err := password(name, dst.Host, "JETSTREAM_API_PASSWORD")
	if err != nil {
		return err
	}
	cl, auth, err := c.dialLogin(ctx, p, dst, name, pass)
	if err != nil {
		return err
	}
	res := &results{p: p, checksum: c.Checksum}
	key := c.transferKey(append([]string{"up", dst.Host, dst.Path, c.DestPath}, srcs...)...)
	uo := peer.UploadOptions{Options: peer.Options{Client: cl, Host: dst.Host, RecvPort: c.RecvPort,
		Cipher: c.peerCipher(), MaxRate: maxK, MinRate: minK, Policy: c.Policy, TransferKey: key,
		Progress: p.progress, Observer: res}, WrapSource: func(s engine.Source) engine.Source { return announceSource{s, p} },
		DestinationPath: c.DestPath, Overwrite: overwriteModes[c.Overwrite]}
	var files []engine.SourceFile
	var up *peer.Transfer
	var probe func(context.Context) (api.LsResult, error)
	switch {
	case listNow:
		l := <-listed
		if l.err != nil {
			cl.Close()
			return l.err
		}
		files = l.files
		up = peer.StartUpload(uo, files)
		defer up.Close()
	case needProbe:
		probe = startLs(cl, path.Join(c.DestPath, dst.Path), true)
		if ticketNow {
			uo.Ticket = peer.StartUploadTicket(uo, total)
		}
	}
	if err := finishLogin(ctx, cl, auth, name, dst.Host); err != nil {
		return err
	}
	defer cl.Close()
	if up == nil {
		dstIsDir := !needProbe
		if probe != nil {
			ls, err := probe(ctx)
			if dstIsDir, err = isDirAnswer(ls, err, dst, several); err != nil {
				return err
			}
		}
		if files, err = c.collect(srcs, path.Clean(dst.Path), dstIsDir); err != nil {
			return err
		}
		if c.Overwrite == "diff" {
			files = c.skipUnchanged(ctx, cl, files)
		}
		up = peer.StartUpload(uo, files)
	}
	total = 0
	for _, f := range files {
		total += f.Size
	}
	p.event("start", map[string]any{"direction": "upload", "files": len(files), "totalBytes": total, "host": dst.Host})
	return res.finish(up.Wait(ctx))
}

// startLs sends lsAsync without waiting (pipelined behind a login); the
// returned func reads its answer and fetches the listing. A daemon that
// does not run a login before the requests behind it answers "authenticate
// first": the listing is then asked again.
func startLs(cl *client.Client, dir string, directory bool) func(context.Context) (api.LsResult, error) {
	pend := cl.Start("lsAsync", map[string]any{"path": dir, "directory": directory})
	return func(ctx context.Context) (api.LsResult, error) {
		var ref api.RequestRef
		if err := pend.Wait(ctx, &ref); err != nil {
			if api.CodeOf(err) == api.CodeAuthRequired {
				return cl.Ls(ctx, dir, directory)
			}
			return api.LsResult{}, err
		}
		var ls api.LsResult
		err := cl.Result(ctx, ref.RequestID, &ls)
		return ls, err
	}
}
