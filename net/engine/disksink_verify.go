package engine

import (
	"errors"
	"io/fs"
	"os"
	"time"
)

// CheckpointVerifier is implemented by sinks that can tell whether saved
// state still matches the disk. The receiver keeps only the entries it
// returns, so a landed file deleted or replaced since the checkpoint, or a
// partfile removed, is sent again instead of being reported done.
type CheckpointVerifier interface {
	VerifyCheckpoint(cp *Checkpoint) []CheckpointFile
}

// mtimeSlack absorbs filesystems that store mtimes more coarsely than ns.
const mtimeSlack = time.Second

// VerifyCheckpoint implements CheckpointVerifier: a committed file must
// still be at its host path with the size and mtime it was given, an empty
// directory must still be a directory, and a partial file's partfile must
// still hold every range the checkpoint says was received. Failed entries
// are kept: their outcome does not depend on the disk.
func (d *diskSink) VerifyCheckpoint(cp *Checkpoint) []CheckpointFile {
	if d.cfg.NoWrite {
		return cp.Files
	}
	kept := cp.Files[:0:0]
	_ = d.cfg.AsUser(func() error {
		for _, cf := range cp.Files {
			if d.stillValid(cp, &cf) {
				kept = append(kept, cf)
			}
		}
		return nil
	})
	return kept
}

func (d *diskSink) stillValid(cp *Checkpoint, cf *CheckpointFile) bool {
	if cf.Done && cf.Code != "" {
		return true
	}
	if cf.Done {
		fi, err := os.Lstat(cf.HostPath)
		switch {
		case err != nil:
			return false
		case fi.IsDir():
			return cf.Size == 0
		case !fi.Mode().IsRegular() || uint64(fi.Size()) != cf.Size:
			return false
		}
		return cf.Mtime == 0 || absDuration(fi.ModTime().Sub(time.Unix(0, cf.Mtime))) < mtimeSlack
	}
	host, err := d.land(cf.Path)
	if err != nil {
		return false
	}
	fi, err := os.Lstat(partName(host, cp.TransferKey))
	if err != nil {
		return errors.Is(err, fs.ErrNotExist) && len(cf.Ranges) == 0
	}
	return fi.Mode().IsRegular() && uint64(fi.Size()) >= receivedExtent(cp, cf)
}

// receivedExtent is how long a partfile holding cf's received ranges is at least.
func receivedExtent(cp *Checkpoint, cf *CheckpointFile) uint64 {
	var end uint64
	for _, r := range cf.Ranges {
		end = max(end, r.End)
	}
	return min(end*uint64(cp.BlockSize), cf.Size)
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
