package driver

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

func readFileString(path string) (string, error) {
	b, err := os.ReadFile(path)
	return string(b), err
}

// settle flushes the filesystem holding path (syncfs), so a source the
// harness has just written is on disk before a run starts. Left dirty, it
// would be written back during the run on the disk the receiver writes to,
// and count as the receiver's dirty page cache (the benchmark's two hosts
// share one disk and one kernel; real ones do not).
func settle(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := unix.Syncfs(int(f.Fd())); err != nil {
		return fmt.Errorf("syncfs %s: %w", path, err)
	}
	return nil
}
