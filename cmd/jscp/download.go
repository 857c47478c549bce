package main

import (
	"context"
	"os"
	"path"
	"path/filepath"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/fsops"
	"github.com/jetstream-go/jetstream/net/engine"
	"github.com/jetstream-go/jetstream/net/peer"
)

func (c *cli) download(ctx context.Context, p *printer, srcs []remoteSpec, dst string) error {
	if err := sameServer(srcs); err != nil {
		return err
	}
	maxK, minK, err := c.rates()
	if err != nil {
		return err
	}
	fi, statErr := os.Stat(dst)
	dstIsDir := statErr == nil && fi.IsDir()
	if (len(srcs) > 1 || c.pairTargets != nil) && !dstIsDir {
		return fail(exitUsage, "usage", "%s: not a directory (several sources need an existing directory)", dst)
	}
	if !dstIsDir {
		if pfi, err := os.Stat(filepath.Dir(dst)); err != nil || !pfi.IsDir() {
			return fail(exitUsage, "usage", "%s: no such directory (the parent of DEST must exist)", filepath.Dir(dst))
		}
	}
	cl, err := c.connect(ctx, p, srcs[0])
	if err != nil {
		return err
	}
	defer cl.Close()
	root, name := dst, ""
	if !dstIsDir {
		root, name = filepath.Dir(dst), filepath.Base(dst)
	}
	mappings := map[string]string{}
	for i, s := range srcs {
		if s.Path == "" {
			return fail(exitUsage, "usage", "%s: has no path after the colon", s.Host)
		}
		ls, err := cl.Ls(ctx, s.Path, true)
		if err != nil {
			return apiErr(err)
		}
		if len(ls.Files) == 1 && ls.Files[0].Type&api.FileTypeDirectory != 0 && !c.Recursive {
			return fail(exitNoSource, "source", "%s:%s is a directory (use -r)", s.Host, s.Path)
		}
		target := "/" + path.Base(path.Clean(s.Path))
		if name != "" {
			target = "/" + name
		}
		if c.pairTargets != nil {
			target = c.pairTargets[i]
		}
		mappings[s.Path] = target
	}
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	box, err := fsops.NewSandbox(map[string]string{"": absRoot}, "")
	if err != nil {
		return err
	}
	ow := overwriteModes[c.Overwrite]
	sink, err := engine.NewDiskSink(engine.DiskSinkConfig{
		Land:      func(t string) (string, error) { return box.LandingPath("", t) },
		Overwrite: ow, StateDir: downloadStateDir(),
	})
	if err != nil {
		return err
	}
	p.event("start", map[string]any{"direction": "download", "host": srcs[0].Host, "sources": len(srcs)})
	res := &results{p: p, checksum: c.Checksum}
	keyParts := []string{"down", srcs[0].Host, absRoot, name}
	for s := range mappings {
		keyParts = append(keyParts, s)
	}
	st, err := peer.Download(ctx, peer.Options{Client: cl, Host: srcs[0].Host, RecvPort: c.RecvPort,
		Cipher: c.peerCipher(), MaxRate: maxK, MinRate: minK, Policy: c.Policy,
		TransferKey: c.transferKey(keyParts...), Progress: p.progress, Observer: res}, mappings, announceSink{sink, p})
	return res.finish(st, err)
}

// downloadStateDir keeps download checkpoints for resume.
func downloadStateDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "jetstream", "jscp-checkpoints")
}
