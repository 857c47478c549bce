package main

import (
	"context"
	"os"
	"path"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/net/engine"
	"github.com/jetstream-go/jetstream/net/peer"
)

var overwriteModes = map[string]int{"never": api.OverwriteNever, "always": api.OverwriteAlways,
	"diff": api.OverwriteAlways, "same-size": api.OverwriteInPlaceSameSize}

func (c *cli) upload(ctx context.Context, p *printer, srcs []string, dst remoteSpec) error {
	maxK, minK, err := c.rates()
	if err != nil {
		return err
	}
	for _, s := range srcs {
		if _, err := os.Stat(s); err != nil {
			return wrap(exitNoSource, "source", err)
		}
	}
	cl, err := c.connect(ctx, p, dst)
	if err != nil {
		return err
	}
	defer cl.Close()
	// scp's rule: DEST is a directory when it exists as one or ends in '/';
	// several sources need an existing directory (a pair list names its
	// own targets below DEST).
	dstIsDir, err := c.remoteIsDir(ctx, cl, dst, len(srcs) > 1 && c.pairTargets == nil)
	if err != nil {
		return err
	}
	files, err := c.collect(srcs, path.Clean(dst.Path), dstIsDir)
	if err != nil {
		return err
	}
	if c.Overwrite == "diff" {
		files = c.skipUnchanged(ctx, cl, files)
	}
	var total int64
	for _, f := range files {
		total += f.Size
	}
	p.event("start", map[string]any{"direction": "upload", "files": len(files), "totalBytes": total, "host": dst.Host})
	res := &results{p: p, checksum: c.Checksum}
	key := c.transferKey(append([]string{"up", dst.Host, dst.Path, c.DestPath}, srcs...)...)
	st, err := peer.Upload(ctx, peer.UploadOptions{Options: peer.Options{Client: cl, Host: dst.Host, RecvPort: c.RecvPort,
		Cipher: c.peerCipher(), MaxRate: maxK, MinRate: minK, Policy: c.Policy, TransferKey: key,
		Progress: p.progress, Observer: res}, WrapSource: func(s engine.Source) engine.Source { return announceSource{s, p} },
		DestinationPath: c.DestPath, Overwrite: overwriteModes[c.Overwrite]}, files)
	return res.finish(st, err)
}
