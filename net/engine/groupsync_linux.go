package engine

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// maxCheapDirty is the most dirty plus under-write-back page cache (host wide)
// at which a syncfs is assumed to cost about what the batch's own data does.
const maxCheapDirty = 64 << 20

func newGroupSync() *groupSync {
	if os.Getenv("JETSTREAM_NO_GROUP_SYNC") == "1" {
		return nil
	}
	var (
		at    time.Time
		cheap bool
	)
	return &groupSync{ops: syncOps{device: fileDevice, syncfs: unix.Syncfs, cheap: func() bool {
		// Reading /proc/meminfo costs ~46 µs here (about 5 % of a
		// receiving daemon's CPU with 10,000 small files when read for
		// every flush); the answer is good for a few milliseconds. Only
		// the leading commit flushes, one batch at a time: no lock.
		if now := time.Now(); now.Sub(at) >= dirtyCheckEvery {
			n, ok := dirtyBytes()
			at, cheap = now, ok && n <= maxCheapDirty
		}
		return cheap
	}}}
}

// dirtyCheckEvery is how long a reading of the host's dirty page cache counts.
const dirtyCheckEvery = 20 * time.Millisecond

func fileDevice(f File) (uint64, int, bool) {
	of, ok := f.(interface{ Fd() uintptr })
	if !ok {
		return 0, 0, false
	}
	fd := int(of.Fd())
	var st unix.Stat_t
	if unix.Fstat(fd, &st) != nil {
		return 0, 0, false
	}
	return st.Dev, fd, true
}

// dirtyBytes reads Dirty + Writeback from /proc/meminfo.
func dirtyBytes() (int64, bool) {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	return parseDirty(b)
}
