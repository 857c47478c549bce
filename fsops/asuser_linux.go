package fsops

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"

	"golang.org/x/sys/unix"
)

// maxGroups is the kernel's NGROUPS_MAX.
const maxGroups = 65536

// AsUser runs fn with id's filesystem credentials (no-op when the process is
// not root or id is the process owner).
//
// On Linux fn runs on a fresh goroutine locked to its OS thread, whose
// supplementary groups, fsgid and fsuid are switched with raw per-thread
// system calls (setgroups, setfsgid, setfsuid) and restored afterwards; the
// caller blocks until fn returns. Only the filesystem identity changes, so fn
// can never do more than id's own account could. If the credentials cannot be
// restored the goroutine exits still locked and the Go runtime destroys the
// thread. fn must do its file work on its own goroutine: goroutines it starts
// run with the process credentials. A panic in fn is re-raised in the caller
// after the credentials are restored.
func AsUser(id Identity, fn func() error) error {
	euid := os.Geteuid()
	if euid != 0 || id.UID == uint32(euid) {
		return fn()
	}
	if id.UID == 0xFFFFFFFF || id.GID == 0xFFFFFFFF {
		return fmt.Errorf("as user %q: invalid uid/gid %d/%d", id.Name, id.UID, id.GID)
	}
	if len(id.Groups) > maxGroups {
		return fmt.Errorf("as user %q: %d supplementary groups, more than the kernel's %d", id.Name, len(id.Groups), maxGroups)
	}
	done := make(chan asUserResult, 1)
	go runAsUser(id, fn, done)
	r := <-done
	if r.panicked {
		panic(r.panicVal)
	}
	return r.err
}

// asUserResult carries fn's outcome back to the caller of AsUser.
type asUserResult struct {
	err      error
	panicked bool
	panicVal any
}

// threadCreds is one thread's filesystem identity.
type threadCreds struct {
	fsuid, fsgid int
	groups       []int
}

// runAsUser is AsUser's goroutine: lock, switch, run, restore, report.
func runAsUser(id Identity, fn func() error, done chan<- asUserResult) {
	runtime.LockOSThread()
	var (
		res      asUserResult
		saved    threadCreds
		switched bool // credentials may differ from saved
		finished bool // fn returned normally
	)
	defer func() {
		if !finished && res.err == nil {
			if p := recover(); p != nil {
				res.panicked, res.panicVal = true, p
			} else {
				res.err = errors.New("as user: the operation exited its goroutine (runtime.Goexit)")
			}
		}
		restored := true
		if switched {
			if err := setCreds(saved); err != nil {
				restored = false
				if res.err == nil && !res.panicked {
					res.err = fmt.Errorf("as user %q: restoring the thread's credentials: %w", id.Name, err)
				}
			}
		}
		if restored {
			runtime.UnlockOSThread()
		} // else: exit locked so the runtime terminates this thread
		done <- res
	}()
	var err error
	saved, err = getCreds()
	if err != nil {
		res.err = fmt.Errorf("as user %q: reading the thread's credentials: %w", id.Name, err)
		return
	}
	want := threadCreds{fsuid: int(id.UID), fsgid: int(id.GID)}
	for _, g := range id.Groups {
		want.groups = append(want.groups, int(g))
	}
	switched = true
	if err := setCreds(want); err != nil {
		res.err = fmt.Errorf("as user %q: switching the thread's credentials: %w", id.Name, err)
		return
	}
	res.err = fn()
	finished = true
}

// getCreds reads the calling thread's filesystem identity.
func getCreds() (threadCreds, error) {
	groups, err := unix.Getgroups()
	if err != nil {
		return threadCreds{}, fmt.Errorf("getgroups: %w", err)
	}
	// setfs[ug]id(-1) changes nothing and returns the current value.
	uid, _ := unix.SetfsuidRetUid(-1)
	gid, _ := unix.SetfsgidRetGid(-1)
	return threadCreds{fsuid: uid, fsgid: gid, groups: groups}, nil
}

// setCreds switches the calling thread to c and checks that it took effect.
// The fsuid goes last. Changing the fsuid only drops or restores the
// filesystem capabilities; CAP_SETUID and CAP_SETGID stay effective, so the
// same order works in both directions.
func setCreds(c threadCreds) error {
	if err := unix.Setgroups(c.groups); err != nil {
		return fmt.Errorf("setgroups: %w", err)
	}
	if _, err := unix.SetfsgidRetGid(c.fsgid); err != nil {
		return fmt.Errorf("setfsgid(%d): %w", c.fsgid, err)
	}
	if _, err := unix.SetfsuidRetUid(c.fsuid); err != nil {
		return fmt.Errorf("setfsuid(%d): %w", c.fsuid, err)
	}
	got, err := getCreds()
	if err != nil {
		return err
	}
	if got.fsuid != c.fsuid || got.fsgid != c.fsgid || !sameGroups(got.groups, c.groups) {
		return fmt.Errorf("credentials did not take effect (fsuid %d fsgid %d, want %d %d)", got.fsuid, got.fsgid, c.fsuid, c.fsgid)
	}
	return nil
}

// sameGroups compares group lists as sets.
func sameGroups(a, b []int) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}
