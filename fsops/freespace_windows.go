package fsops

import "golang.org/x/sys/windows"

// freeSpace is GetDiskFreeSpaceEx's bytes available to the caller.
func freeSpace(path string) (int64, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return 0, err
	}
	var avail, total, free uint64
	if err := windows.GetDiskFreeSpaceEx(p, &avail, &total, &free); err != nil {
		return 0, err
	}
	return blocksToBytes(avail, 1), nil
}
