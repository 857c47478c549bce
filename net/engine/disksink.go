package engine

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Overwrite modes (the product's constants).
const (
	OverwriteNever           = 0 // refuse up front when the target exists
	OverwriteAlways          = 1 // replace the target
	OverwriteSameSize        = 2 // replace only a target of the same size or an empty one
	OverwritePartfileNever   = 3 // never replace; when the target exists the partfile is kept
	OverwritePartfileAlways  = 4 // replace the target
	OverwritePartfileBackup  = 5 // replace, keeping the old target as <name>.jetbak
	maxOverwrite             = 5
	partSuffix               = ".jetpart"
	backupSuffix             = ".jetbak"
	checkpointSuffix         = ".jsckpt"
	maxCheckpointSize        = 512 << 20
	defaultCheckpointEvery   = 5 * time.Second
	checkpointFormatMagic    = "jetstream-checkpoint-v1\n"
	checkpointFilePermission = 0o600
)

// File is the subset of *os.File the disk sink writes through (a seam for fault
// injection in tests).
type File interface {
	io.ReaderAt
	io.WriterAt
	Sync() error
	Close() error
}

// DiskSinkConfig configures NewDiskSink.
type DiskSinkConfig struct {
	// Land maps a target path to a host path (the daemon passes its sandbox's
	// LandingPath). Its error fails that file with path_refused. Required.
	Land func(targetPath string) (string, error)
	// Overwrite is the overwrite mode 0..5.
	Overwrite int
	// StateDir holds checkpoints, keyed by TransferKey. Empty disables checkpoints.
	StateDir string
	// CheckpointEvery is the checkpoint interval (default 5 s; negative disables).
	CheckpointEvery time.Duration
	// AsUser runs filesystem mutations with the user's identity (nil = as the process).
	AsUser func(func() error) error
	// NoWrite discards data (transfer flag).
	NoWrite bool
	// OpenFile opens partfiles (nil = openPlain, os.OpenFile without the poller); tests inject faults here.
	OpenFile func(name string, flag int, perm fs.FileMode) (File, error)
}

// NewDiskSink returns a Sink that lands files with cfg.Land, writes them into
// partfiles next to their targets and commits them per the overwrite mode.
func NewDiskSink(cfg DiskSinkConfig) (Sink, error) {
	if cfg.Land == nil {
		return nil, errors.New("engine: DiskSinkConfig.Land is required")
	}
	if cfg.Overwrite < 0 || cfg.Overwrite > maxOverwrite {
		return nil, fmt.Errorf("engine: overwrite mode %d is not in 0..5", cfg.Overwrite)
	}
	if cfg.CheckpointEvery == 0 {
		cfg.CheckpointEvery = defaultCheckpointEvery
	}
	if cfg.AsUser == nil {
		cfg.AsUser = func(f func() error) error { return f() }
	}
	if cfg.OpenFile == nil {
		cfg.OpenFile = openPlain
	}
	if cfg.StateDir != "" {
		if err := os.MkdirAll(cfg.StateDir, 0o700); err != nil {
			return nil, fmt.Errorf("engine: state dir: %w", err)
		}
	}
	return &diskSink{cfg: cfg, dirs: make(map[string]bool), group: sharedGroupSync()}, nil
}

type diskSink struct {
	cfg   DiskSinkConfig
	mu    sync.Mutex
	dirs  map[string]bool // directories known to exist (saves a stat per file)
	group *groupSync      // shared by every sink of the process; nil: fsync each file
}

// sharedGroupSync is the process's one groupSync, so commits of concurrent
// transfers share flushes too.
var sharedGroupSync = sync.OnceValue(newGroupSync)

// mkdirAll is os.MkdirAll with a cache of directories already made.
func (d *diskSink) mkdirAll(dir string) error {
	d.mu.Lock()
	known := d.dirs[dir]
	d.mu.Unlock()
	if known {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	d.mu.Lock()
	if len(d.dirs) > 65536 {
		clear(d.dirs)
	}
	d.dirs[dir] = true
	d.mu.Unlock()
	return nil
}

// forgetDirs empties the directory cache (a directory was removed behind
// the sink's back).
func (d *diskSink) forgetDirs() {
	d.mu.Lock()
	clear(d.dirs)
	d.mu.Unlock()
}

// batchSink is a Sink that can run several operations under one identity
// switch: inside batch, the sink's own per-operation AsUser calls must run
// directly (the daemon's AsUser does: fsops.RunningAs).
type batchSink interface {
	batch(fn func())
}

// batch runs fn inside one AsUser call. When AsUser fails before fn starts
// (the daemon's slot wait was cancelled, say), fn is not run: the caller
// runs what is left one operation at a time, each with its own error.
func (d *diskSink) batch(fn func()) {
	_ = d.cfg.AsUser(func() error { fn(); return nil })
}

func (d *diskSink) CheckpointEvery() time.Duration {
	if d.cfg.StateDir == "" || d.cfg.CheckpointEvery < 0 {
		return 0
	}
	return d.cfg.CheckpointEvery
}

func (d *diskSink) NoWrite() bool { return d.cfg.NoWrite }

func keyName(transferKey string) string {
	h := sha256.Sum256([]byte(transferKey))
	return hex.EncodeToString(h[:16])
}

func (d *diskSink) statePath(transferKey string) string {
	return filepath.Join(d.cfg.StateDir, keyName(transferKey)+checkpointSuffix)
}

func (d *diskSink) Load(transferKey string) (*Checkpoint, error) {
	if d.cfg.StateDir == "" {
		return nil, nil
	}
	b, err := os.ReadFile(d.statePath(transferKey))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	cp, err := decodeCheckpoint(b)
	if err != nil {
		return nil, err
	}
	if cp.TransferKey != transferKey {
		return nil, fmt.Errorf("engine: checkpoint %s belongs to another transfer", d.statePath(transferKey))
	}
	return cp, nil
}

func (d *diskSink) Save(cp *Checkpoint) error {
	if d.cfg.StateDir == "" {
		return nil
	}
	b, err := encodeCheckpoint(cp)
	if err != nil {
		return err
	}
	return writeFileAtomic(d.statePath(cp.TransferKey), b)
}

func (d *diskSink) Discard(transferKey string) error {
	if d.cfg.StateDir == "" {
		return nil
	}
	err := os.Remove(d.statePath(transferKey))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// encodeCheckpoint serialises cp: a magic line, a SHA-256 of the body, the gob body.
func encodeCheckpoint(cp *Checkpoint) ([]byte, error) {
	var body bytes.Buffer
	if err := gob.NewEncoder(&body).Encode(cp); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body.Bytes())
	out := make([]byte, 0, len(checkpointFormatMagic)+32+body.Len())
	out = append(out, checkpointFormatMagic...)
	out = append(out, sum[:]...)
	return append(out, body.Bytes()...), nil
}

// decodeCheckpoint parses encodeCheckpoint's output, rejecting damaged files.
func decodeCheckpoint(b []byte) (cp *Checkpoint, err error) {
	if len(b) > maxCheckpointSize {
		return nil, errors.New("engine: checkpoint too large")
	}
	if !bytes.HasPrefix(b, []byte(checkpointFormatMagic)) || len(b) < len(checkpointFormatMagic)+32 {
		return nil, errors.New("engine: not a checkpoint file")
	}
	b = b[len(checkpointFormatMagic):]
	if sha256.Sum256(b[32:]) != [32]byte(b[:32]) {
		return nil, errors.New("engine: checkpoint checksum mismatch")
	}
	defer func() {
		if r := recover(); r != nil { // gob is defensive, but stay safe on any input
			cp, err = nil, fmt.Errorf("engine: corrupt checkpoint: %v", r)
		}
	}()
	cp = new(Checkpoint)
	if err := gob.NewDecoder(bytes.NewReader(b[32:])).Decode(cp); err != nil {
		return nil, fmt.Errorf("engine: corrupt checkpoint: %w", err)
	}
	return cp, nil
}

func writeFileAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, checkpointFilePermission)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if dir, err := os.Open(filepath.Dir(path)); err == nil {
		dir.Sync()
		dir.Close()
	}
	return nil
}

func (d *diskSink) land(p string) (string, error) {
	host, err := d.cfg.Land(p)
	if err != nil {
		return "", &Error{Code: CodePathRefused, Msg: err.Error()}
	}
	return host, nil
}

func partName(host, transferKey string) string {
	dir, base := filepath.Split(host)
	return filepath.Join(dir, "."+base+"."+keyName(transferKey)[:12]+partSuffix)
}

func (d *diskSink) MakeDir(f FileMeta) (string, error) {
	host, err := d.land(f.Path)
	if err != nil {
		return "", err
	}
	if d.cfg.NoWrite {
		return host, nil
	}
	err = d.cfg.AsUser(func() error {
		if err := os.MkdirAll(host, 0o755); err != nil {
			return err
		}
		if perm := f.Mode.Perm(); perm != 0 {
			if err := os.Chmod(host, perm); err != nil {
				return err
			}
		}
		if !f.Mtime.IsZero() {
			return os.Chtimes(host, f.Mtime, f.Mtime)
		}
		return nil
	})
	if err != nil {
		return "", asError(err)
	}
	return host, nil
}

func (d *diskSink) Open(transferKey string, f FileMeta, resume bool) (SinkFile, error) {
	host, err := d.land(f.Path)
	if err != nil {
		return nil, err
	}
	if d.cfg.NoWrite {
		return discardFile{host: host}, nil
	}
	if d.cfg.Overwrite == OverwriteNever || d.cfg.Overwrite == OverwriteSameSize {
		if err := d.precheck(host, f); err != nil {
			return nil, err
		}
	}
	sf := &diskFile{sink: d, meta: f, host: host, part: partName(host, transferKey)}
	err = d.cfg.AsUser(func() error {
		if err := d.mkdirAll(filepath.Dir(host)); err != nil {
			return err
		}
		flag := os.O_CREATE | os.O_RDWR
		if !resume {
			flag |= os.O_TRUNC
		}
		fh, err := d.cfg.OpenFile(sf.part, flag, 0o600)
		if errors.Is(err, fs.ErrNotExist) { // the directory went away since it was cached
			d.forgetDirs()
			if err = d.mkdirAll(filepath.Dir(host)); err != nil {
				return err
			}
			fh, err = d.cfg.OpenFile(sf.part, flag, 0o600)
		}
		if err != nil {
			return err
		}
		sf.f, sf.wb = fh, newWriteBehind(fh)
		return nil
	})
	if err != nil {
		return nil, asError(err)
	}
	return sf, nil
}

// precheck applies the up-front part of overwrite modes 0 and 2.
func (d *diskSink) precheck(host string, f FileMeta) error {
	var fi fs.FileInfo
	err := d.cfg.AsUser(func() (err error) { fi, err = os.Stat(host); return err })
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return asError(err)
	}
	if fi.IsDir() {
		return errorf(CodeExists, "%s is a directory", f.Path)
	}
	switch d.cfg.Overwrite {
	case OverwriteNever:
		return errorf(CodeExists, "%s already exists (overwrite mode never)", f.Path)
	case OverwriteSameSize:
		if fi.Size() != f.Size && fi.Size() != 0 {
			return errorf(CodeExists, "%s exists with size %d, not %d (overwrite mode same size)", f.Path, fi.Size(), f.Size)
		}
	}
	return nil
}

// discardFile is the NoWrite sink file.
type discardFile struct{ host string }

func (discardFile) WriteAt(p []byte, _ int64) (int, error) { return len(p), nil }
func (discardFile) ReadAt([]byte, int64) (int, error) {
	return 0, errors.New("engine: no data kept (no-write transfer)")
}
func (discardFile) Sync() error               { return nil }
func (f discardFile) Commit() (string, error) { return f.host, nil }
func (discardFile) Abort(bool) error          { return nil }
