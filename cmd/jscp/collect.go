package main

import (
	"context"
	"os"
	"path"
	"path/filepath"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/fsops"
	"github.com/jetstream-go/jetstream/net/engine"
)

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
	base := dstDir
	for i, s := range srcs {
		dstDir, dstIsDir := dstDir, dstIsDir
		if c.pairTargets != nil {
			dstDir, dstIsDir = path.Join(base, c.pairTargets[i]), false
		}
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
