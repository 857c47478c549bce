package store

import (
	"runtime"
	"sync"

	"golang.org/x/crypto/argon2"
)

// warm keeps argon2id's memory resident between password checks.
//
// argon2id allocates its memory (19 MiB at the default cost) afresh for
// every check. Once the runtime has returned it to the OS, which it does
// within a second of an idle daemon, the next check faults it all in
// again, and on a VM that costs more than the hash: 104 ms for a first
// check there against 29 ms warm, on the critical path of every first
// login after a pause (BenchmarkVerifyAfterIdle). Between checks a buffer
// of the same size holds those pages, live, so they are never returned; a
// check lets go of it and collects it just before argon2id allocates, so
// the allocation lands on the same pages.
var warm struct {
	mu   sync.Mutex
	hold []byte
}

// idKey is argon2.IDKey for the parameters of p, on warm memory when no
// other check holds it (a concurrent check runs as before).
func idKey(pw []byte, p argonParams) []byte {
	keyLen := uint32(len(p.key))
	if keyLen == 0 {
		keyLen = argonKeyLen
	}
	if !warm.mu.TryLock() {
		return argon2.IDKey(pw, p.salt, p.time, p.memory, p.threads, keyLen)
	}
	if warm.hold != nil {
		warm.hold = nil
		runtime.GC() // frees the held pages for argon2id's allocation
	}
	key := argon2.IDKey(pw, p.salt, p.time, p.memory, p.threads, keyLen)
	go func() { // off the login's path
		defer warm.mu.Unlock()
		runtime.GC()                              // frees argon2id's memory ...
		warm.hold = resident(int(p.memory) << 10) // ... and takes its pages
	}()
	return key
}

// WarmUp makes the memory of a default-cost check resident before the
// first login (a daemon calls it before it listens).
func WarmUp() {
	warm.mu.Lock()
	defer warm.mu.Unlock()
	if warm.hold == nil {
		warm.hold = resident(int(newHashCost().memory) << 10)
	}
}

// resident returns n bytes with every page faulted in.
func resident(n int) []byte {
	b := make([]byte, n)
	for i := 0; i < n; i += 4096 {
		b[i] = 1
	}
	return b
}
