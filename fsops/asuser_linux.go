package fsops

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// maxGroups is the kernel's NGROUPS_MAX.
const maxGroups = 65536

// processEUID is the process's effective uid, read once: the daemon never
// changes it (AsUser changes only per-thread filesystem ids).
var processEUID = sync.OnceValue(os.Geteuid)

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
	euid := processEUID()
	if euid != 0 || id.UID == uint32(euid) {
		return fn()
	}
	if id.UID == 0xFFFFFFFF || id.GID == 0xFFFFFFFF {
		return fmt.Errorf("as user %q: invalid uid/gid %d/%d", id.Name, id.UID, id.GID)
	}
	if len(id.Groups) > maxGroups {
		return fmt.Errorf("as user %q: %d supplementary groups, more than the kernel's %d", id.Name, len(id.Groups), maxGroups)
	}
	if RunningAs(id) {
		return fn()
	}
	done := make(chan asUserResult, 1)
	go runAsUser(id, fn, done)
	r := <-done
	if r.panicked {
		panic(r.panicVal)
	}
	return r.err
}

// switchedThreads maps each OS thread (tid) that runs an AsUser function with
// switched credentials to the identity it runs as; switchedCount counts them,
// so RunningAs costs nothing while none run. A thread in the map is locked
// to the goroutine running that function: no other goroutine can be on it.
var (
	switchedThreads sync.Map // int -> *Identity
	switchedCount   atomic.Int32
)

// RunningAs reports whether the caller already runs inside AsUser(id, ...)
// on its locked thread, so file work it does now uses id's credentials. A
// nested AsUser with the same identity then runs fn directly (no switch).
func RunningAs(id Identity) bool {
	if switchedCount.Load() == 0 {
		return false
	}
	v, ok := switchedThreads.Load(unix.Gettid())
	return ok && sameIdentity(*v.(*Identity), id)
}

// sameIdentity reports whether a and b carry the same credentials.
func sameIdentity(a, b Identity) bool {
	return a.UID == b.UID && a.GID == b.GID && slices.Equal(a.Groups, b.Groups)
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
		tid      int  // registered in switchedThreads
	)
	defer func() {
		if !finished && res.err == nil {
			if p := recover(); p != nil {
				res.panicked, res.panicVal = true, p
			} else {
				res.err = errors.New("as user: the operation exited its goroutine (runtime.Goexit)")
			}
		}
		if tid != 0 {
			switchedThreads.Delete(tid)
			switchedCount.Add(-1)
		}
		restored := true
		if switched {
			if _, err := setCreds(saved); err != nil {
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
	groups, err := unix.Getgroups()
	if err != nil {
		res.err = fmt.Errorf("as user %q: reading the thread's groups: %w", id.Name, err)
		return
	}
	want := threadCreds{fsuid: int(id.UID), fsgid: int(id.GID)}
	for _, g := range id.Groups {
		want.groups = append(want.groups, int(g))
	}
	switched = true
	// Until setCreds has set both ids, saved holds the thread's own: if it
	// fails half way, the restore puts back what was there.
	saved = threadCreds{fsuid: -1, fsgid: -1, groups: groups}
	old, err := setCreds(want)
	saved.fsuid, saved.fsgid = old.fsuid, old.fsgid
	if err != nil {
		res.err = fmt.Errorf("as user %q: switching the thread's credentials: %w", id.Name, err)
		return
	}
	tid = unix.Gettid()
	idc := id
	switchedThreads.Store(tid, &idc)
	switchedCount.Add(1)
	res.err = fn()
	finished = true
}

// setCreds switches the calling thread to c, checks that it took effect and
// returns the filesystem ids it replaced (-1 for one it did not get to).
// setgroups reports failure; setfsuid and setfsgid do not, so the new ids are
// read back (setfs[ug]id(-1) changes nothing and returns the current value).
// The fsuid goes last. Changing the fsuid only drops or restores the
// filesystem capabilities; CAP_SETUID and CAP_SETGID stay effective, so the
// same order works in both directions. Five system calls, three of which
// replace the thread's credentials.
func setCreds(c threadCreds) (old threadCreds, err error) {
	old = threadCreds{fsuid: -1, fsgid: -1}
	if err := unix.Setgroups(c.groups); err != nil {
		return old, fmt.Errorf("setgroups: %w", err)
	}
	if c.fsgid >= 0 {
		old.fsgid, _ = unix.SetfsgidRetGid(c.fsgid)
	}
	if c.fsuid >= 0 {
		old.fsuid, _ = unix.SetfsuidRetUid(c.fsuid)
	}
	gid, _ := unix.SetfsgidRetGid(-1)
	uid, _ := unix.SetfsuidRetUid(-1)
	if (c.fsuid >= 0 && uid != c.fsuid) || (c.fsgid >= 0 && gid != c.fsgid) {
		return old, fmt.Errorf("credentials did not take effect (fsuid %d fsgid %d, want %d %d)", uid, gid, c.fsuid, c.fsgid)
	}
	return old, nil
}
