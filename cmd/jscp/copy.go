package main

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/fsops"
	"github.com/jetstream-go/jetstream/net/engine"
	"github.com/jetstream-go/jetstream/net/peer"
)

// results counts per-file outcomes and reports them as events.
type results struct {
	p                *printer
	checksum         bool
	ok, failed, hash atomic.Int64
}

func (r *results) FileDone(f engine.FileResult) {
	if f.Err != nil {
		r.failed.Add(1)
		if engine.CodeOf(f.Err) == engine.CodeHashMismatch {
			r.hash.Add(1)
		}
		r.p.event("file_done", map[string]any{"path": f.Path, "ok": false, "error": f.Err.Error(), "code": string(engine.CodeOf(f.Err))})
		r.p.info("jscp: %s: %v", f.Path, f.Err)
		return
	}
	r.ok.Add(1)
	ev := map[string]any{"path": f.Path, "ok": true, "size": f.Size}
	if len(f.Hash) > 0 {
		ev["sha256"] = hex.EncodeToString(f.Hash)
	}
	r.p.event("file_done", ev)
	if r.checksum && len(f.Hash) > 0 {
		r.p.info("%s  %s", hex.EncodeToString(f.Hash), f.Path)
	}
}

// outcome turns the session result and file counts into the exit status.
func (r *results) outcome(err error) error {
	switch {
	case err != nil && errors.Is(err, context.Canceled):
		return err
	case err != nil:
		code := engine.CodeOf(err)
		switch code {
		case engine.CodeHashMismatch:
			return wrap(exitIntegrity, "integrity", err)
		case engine.CodePeerTimeout:
			return wrap(exitInterrupted, "interrupted", fmt.Errorf("%w; run the same command again to resume", err))
		case engine.CodeSourceUnreadable:
			return wrap(exitNoSource, "source", err)
		}
		if r.ok.Load() > 0 && r.failed.Load() > 0 {
			return wrap(exitPartial, "partial", err)
		}
		return apiErr(err)
	case r.hash.Load() > 0:
		return fail(exitIntegrity, "integrity", "%d file(s) failed the integrity check", r.hash.Load())
	case r.failed.Load() > 0 && r.ok.Load() > 0:
		return fail(exitPartial, "partial", "%d of %d files failed", r.failed.Load(), r.failed.Load()+r.ok.Load())
	case r.failed.Load() > 0:
		return fail(exitError, "failed", "every file failed")
	}
	return nil
}

func (c *cli) excluded(name string) bool {
	for _, g := range c.Exclude {
		if ok, _ := path.Match(g, name); ok {
			return true
		}
	}
	return false
}

// collect lists local sources as engine files with their target paths.
func (c *cli) collect(srcs []string, dstDir string, dstIsDir bool) ([]engine.SourceFile, error) {
	var out []engine.SourceFile
	for _, s := range srcs {
		fi, err := os.Stat(s)
		if err != nil {
			return nil, wrap(exitNoSource, "source", err)
		}
		base := filepath.Base(filepath.Clean(s))
		if !fi.IsDir() {
			target := dstDir
			if dstIsDir {
				target = path.Join(dstDir, base)
			}
			out = append(out, engine.SourceFile{LocalPath: s, TargetPath: target, Size: fi.Size(), Mode: fi.Mode().Perm(), Mtime: fi.ModTime()})
			continue
		}
		if !c.Recursive {
			return nil, fail(exitNoSource, "source", "%s is a directory (use -r)", s)
		}
		root := path.Join(dstDir, base)
		if !dstIsDir {
			root = dstDir
		}
		err = fsops.WalkFiles(context.Background(), s, true, func(rel string, fi os.FileInfo, emptyDir bool) error {
			if c.excluded(filepath.Base(rel)) {
				return nil
			}
			f := engine.SourceFile{LocalPath: filepath.Join(s, rel), TargetPath: path.Join(root, filepath.ToSlash(rel)),
				Mode: fi.Mode().Perm(), Mtime: fi.ModTime(), EmptyDir: emptyDir}
			if !emptyDir {
				f.Size = fi.Size()
			}
			out = append(out, f)
			return nil
		})
		if err != nil {
			return nil, wrap(exitNoSource, "source", err)
		}
	}
	return out, nil
}

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
	// scp's rule: DEST is a directory when it exists as one, ends in '/', or
	// several sources (or a directory) are copied.
	dstIsDir := strings.HasSuffix(dst.Path, "/") || len(srcs) > 1
	if ls, err := cl.Ls(ctx, path.Join(c.DestPath, dst.Path), true); err == nil && len(ls.Files) == 1 {
		if ls.Files[0].Type&api.FileTypeDirectory != 0 {
			dstIsDir = true
		} else if len(srcs) > 1 {
			return fail(exitUsage, "usage", "%s: is not a directory (several sources need a directory)", dst.Path)
		}
	} else if len(srcs) > 1 && api.CodeOf(err) == api.CodeNotFound {
		return fail(exitUsage, "usage", "%s: no such directory on %s (several sources need an existing directory)", dst.Path, dst.Host)
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
		Cipher: c.cipherLevel(), MaxRate: maxK, MinRate: minK, Policy: c.Policy, TransferKey: key,
		Progress: p.progress, Observer: res}, DestinationPath: c.DestPath, Overwrite: overwriteModes[c.Overwrite]}, files)
	p.mu.Lock()
	p.clearLine()
	p.mu.Unlock()
	if err == nil || res.ok.Load() > 0 {
		p.summary(st, res.ok.Load(), res.failed.Load())
	}
	return res.outcome(err)
}

// skipUnchanged drops files whose remote copy has the same size and mtime
// (one listing per remote directory).
func (c *cli) skipUnchanged(ctx context.Context, cl interface {
	Ls(context.Context, string, bool) (api.LsResult, error)
}, files []engine.SourceFile) []engine.SourceFile {
	listings := map[string]map[string]api.FileEntry{}
	out := files[:0]
	for _, f := range files {
		dir := path.Dir(path.Join(c.DestPath, f.TargetPath))
		l, ok := listings[dir]
		if !ok {
			l = map[string]api.FileEntry{}
			if ls, err := cl.Ls(ctx, dir, false); err == nil {
				for _, e := range ls.Files {
					l[e.Name] = e
				}
			}
			listings[dir] = l
		}
		if e, ok := l[path.Base(f.TargetPath)]; ok && !f.EmptyDir && e.Type == api.FileTypeRegular && e.Size == f.Size && e.Mtime == f.Mtime.Unix() {
			continue
		}
		out = append(out, f)
	}
	return out
}

func (c *cli) download(ctx context.Context, p *printer, srcs []remoteSpec, dst string) error {
	for _, s := range srcs[1:] {
		if s.Host != srcs[0].Host || s.Port != srcs[0].Port || s.User != srcs[0].User {
			return fail(exitUsage, "usage", "all remote sources must be on the same server")
		}
	}
	maxK, minK, err := c.rates()
	if err != nil {
		return err
	}
	fi, statErr := os.Stat(dst)
	dstIsDir := statErr == nil && fi.IsDir()
	if len(srcs) > 1 && !dstIsDir {
		return fail(exitUsage, "usage", "%s: not a directory (several sources need an existing directory)", dst)
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
	for _, s := range srcs {
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
		Cipher: c.cipherLevel(), MaxRate: maxK, MinRate: minK, Policy: c.Policy,
		TransferKey: c.transferKey(keyParts...), Progress: p.progress, Observer: res}, mappings, sink)
	p.mu.Lock()
	p.clearLine()
	p.mu.Unlock()
	if err == nil || res.ok.Load() > 0 {
		p.summary(st, res.ok.Load(), res.failed.Load())
	}
	return res.outcome(err)
}

// downloadStateDir keeps download checkpoints for resume.
func downloadStateDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "jetstream", "jscp-checkpoints")
}
