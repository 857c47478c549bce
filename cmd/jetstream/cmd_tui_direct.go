package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/fsops"
	"github.com/jetstream-go/jetstream/net/engine"
	"github.com/jetstream-go/jetstream/net/peer"
	"github.com/jetstream-go/jetstream/tui/common"
	"github.com/jetstream-go/jetstream/tui/direct"
)

// tuiProgressEvery is how often a direct transfer reports to the TUI.
const tuiProgressEvery = 500 * time.Millisecond

// peerRunner runs the TUI's direct transfers with net/peer over cl, the
// session's API connection to the server at loc (whose rate, cipher and
// policy settings apply).
func peerRunner(cl *client.Client, loc common.Location) direct.Runner {
	return func(ctx context.Context, spec common.TransferSpec, progress func(direct.Progress)) error {
		tp, err := loc.TransferParams()
		if err != nil {
			return err
		}
		host, _ := loc.Dial()
		o := peer.Options{Client: cl, Host: host, MaxRate: tp.RateKbps, MinRate: tp.MinRateKbps,
			Policy: tp.Policy, ProgressEvery: tuiProgressEvery, TransferKey: tuiTransferKey()}
		if tp.MinCipher > 0 {
			o.Cipher = tp.MinCipher
		}
		obs := &failures{}
		o.Observer = obs
		switch spec.Direction {
		case common.Upload:
			return runUpload(ctx, o, spec, obs, progress)
		case common.Download:
			return runDownload(ctx, o, spec, obs, progress)
		}
		return fmt.Errorf("not a direct transfer: %s", spec.Direction)
	}
}

func runUpload(ctx context.Context, o peer.Options, spec common.TransferSpec, obs *failures, progress func(direct.Progress)) error {
	files, err := collectUpload(ctx, spec.Files)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return errors.New("nothing to upload: the selection holds no files")
	}
	var total int64
	for _, f := range files {
		total += f.Size
	}
	o.Progress = func(st engine.Stats) { progress(progressOf(st, int64(len(files)), total)) }
	st, err := peer.Upload(ctx, peer.UploadOptions{Options: o, DestinationPath: spec.DestDir, Overwrite: spec.Overwrite}, files)
	return obs.result(st, err)
}

func runDownload(ctx context.Context, o peer.Options, spec common.TransferSpec, obs *failures, progress func(direct.Progress)) error {
	dir, err := filepath.Abs(spec.DestDir)
	if err != nil {
		return err
	}
	box, err := fsops.NewSandbox(map[string]string{"": dir}, "")
	if err != nil {
		return fmt.Errorf("download into %s: %w", dir, err)
	}
	sink, err := engine.NewDiskSink(engine.DiskSinkConfig{
		Land:      func(t string) (string, error) { return box.LandingPath("", t) },
		Overwrite: spec.Overwrite, StateDir: tuiCheckpointDir(),
	})
	if err != nil {
		return err
	}
	mappings := make(map[string]string, len(spec.Files))
	for _, f := range spec.Files {
		mappings[f.Source] = "/" + f.Target
	}
	o.Progress = func(st engine.Stats) { progress(progressOf(st, 0, 0)) }
	st, err := peer.Download(ctx, o, mappings, sink)
	return obs.result(st, err)
}

// collectUpload lists the local files of the selection (directories
// recursively, symlinks followed) with their target paths.
func collectUpload(ctx context.Context, items []common.TransferFile) ([]engine.SourceFile, error) {
	var out []engine.SourceFile
	for _, it := range items {
		fi, err := os.Stat(it.Source)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			out = append(out, engine.SourceFile{LocalPath: it.Source, TargetPath: it.Target,
				Size: fi.Size(), Mode: fi.Mode().Perm(), Mtime: fi.ModTime()})
			continue
		}
		err = fsops.WalkFiles(ctx, it.Source, true, func(rel string, fi os.FileInfo, emptyDir bool) error {
			f := engine.SourceFile{LocalPath: filepath.Join(it.Source, filepath.FromSlash(rel)),
				TargetPath: path.Join(it.Target, rel), Mode: fi.Mode().Perm(), Mtime: fi.ModTime(), EmptyDir: emptyDir}
			if !emptyDir {
				f.Size = fi.Size()
			}
			out = append(out, f)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// progressOf converts the engine's counters. files and total are the
// sender's own counts (0 = take the engine's).
func progressOf(st engine.Stats, files, total int64) direct.Progress {
	if total <= 0 {
		total = st.TotalBytes
	}
	return direct.Progress{
		TotalBytes: total, TotalFiles: files, BytesDone: st.BytesAcked,
		TotalBlocks: st.TotalBlocks, BlocksAcked: st.BlocksAcked,
		BytesSent: st.BytesSent, BlocksSent: st.BlocksSent, BlocksRetransmitted: st.BlocksRetransmitted,
		PacketsSent: st.PacketsSent, PacketsRecv: st.PacketsRecv,
		FilesDone: st.FilesDone, FilesFailed: st.FilesFailed, RTT: st.RTT, CurrentFile: st.CurrentFile,
	}
}

// failures remembers the files that failed (engine.Observer).
type failures struct {
	mu    sync.Mutex
	n     int
	first string
}

// FileDone implements engine.Observer.
func (f *failures) FileDone(r engine.FileResult) {
	if r.Err == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n == 0 {
		f.first = fmt.Sprintf("%s: %v", r.Path, r.Err)
	}
	f.n++
}

// result is the transfer's outcome: err, else the failed files.
func (f *failures) result(st engine.Stats, err error) error {
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	n := max(int64(f.n), st.FilesFailed)
	switch {
	case n == 1 && f.first != "":
		return errors.New(f.first)
	case n > 1:
		return fmt.Errorf("%d files failed; first %s", n, f.first)
	}
	return nil
}

// tuiKeySeq numbers the direct transfers of this process.
var tuiKeySeq atomic.Int64

// tuiTransferKey names a direct transfer uniquely. (A key derived from the
// selection would let a re-queued transfer resume, but two identical
// transfers queued together would then share the receiver's state.)
func tuiTransferKey() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("tui-%d-%d-%s", os.Getpid(), tuiKeySeq.Add(1), hex.EncodeToString(b[:]))
}

// tuiCheckpointDir keeps download checkpoints for resume ("" disables).
func tuiCheckpointDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "jetstream", "tui-checkpoints")
}
