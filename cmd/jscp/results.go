package main

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"

	"github.com/jetstream-go/jetstream/net/engine"
)

// results counts per-file outcomes and reports them as events.
type results struct {
	p        *printer
	checksum bool
	mu       sync.Mutex
	ok       int64
	failures map[engine.Code]int64
}

// FileDone implements engine.Observer.
func (r *results) FileDone(f engine.FileResult) {
	r.mu.Lock()
	if f.Err != nil {
		if r.failures == nil {
			r.failures = map[engine.Code]int64{}
		}
		r.failures[engine.CodeOf(f.Err)]++
	} else {
		r.ok++
	}
	r.mu.Unlock()
	if f.Err != nil {
		r.p.event("file_done", map[string]any{"path": f.Path, "ok": false, "error": f.Err.Error(), "code": string(engine.CodeOf(f.Err))})
		r.p.info("jscp: %q: %v", f.Path, f.Err)
		return
	}
	ev := map[string]any{"path": f.Path, "ok": true, "size": f.Size}
	if f.HostPath != "" {
		ev["localPath"] = f.HostPath
	}
	if realHash(f.Hash) {
		ev["sha256"] = hex.EncodeToString(f.Hash)
	}
	r.p.event("file_done", ev)
	if r.checksum && realHash(f.Hash) {
		r.p.out2("%s  %s", hex.EncodeToString(f.Hash), f.Path)
	}
}

// counts returns the files done, failed, and failed per code.
func (r *results) counts() (ok, failed int64, byCode map[engine.Code]int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	byCode = map[engine.Code]int64{}
	for c, n := range r.failures {
		byCode[c] = n
		failed += n
	}
	return r.ok, failed, byCode
}

// sourceCodes are per-file failures that mean "source not found or
// permission denied" (exit 5).
var sourceCodes = map[engine.Code]bool{engine.CodeSourceUnreadable: true, engine.CodePathRefused: true}

// outcome turns the session result and file counts into the exit status.
func (r *results) outcome(err error) error {
	ok, failed, byCode := r.counts()
	switch {
	case err != nil && errors.Is(err, context.Canceled):
		return err
	case err != nil:
		switch engine.CodeOf(err) {
		case engine.CodeHashMismatch:
			return wrap(exitIntegrity, "integrity", err)
		case engine.CodePeerTimeout, engine.CodeCancelled:
			return wrap(exitInterrupted, "interrupted", fmt.Errorf("%w; run the same command again to resume", err))
		case engine.CodeSourceUnreadable, engine.CodePathRefused:
			return wrap(exitNoSource, "source", err)
		}
		if ok > 0 && failed > 0 {
			return wrap(exitPartial, "partial", err)
		}
		return apiErr(err)
	case byCode[engine.CodeHashMismatch] > 0:
		return fail(exitIntegrity, "integrity", "%d file(s) failed the integrity check", byCode[engine.CodeHashMismatch])
	case failed > 0 && ok > 0:
		return fail(exitPartial, "partial", "%d of %d files failed", failed, failed+ok)
	case failed > 0:
		for c := range byCode {
			if !sourceCodes[c] {
				return fail(exitError, "failed", "every file failed (%d)", failed)
			}
		}
		return fail(exitNoSource, "source", "every file failed: source not readable or path refused (%d)", failed)
	}
	return nil
}

// finish prints the summary and returns the run's outcome.
func (r *results) finish(st engine.Stats, err error) error {
	r.p.mu.Lock()
	r.p.clearLine()
	r.p.mu.Unlock()
	ok, failed, _ := r.counts()
	if err == nil || ok > 0 {
		r.p.summary(st, ok, failed)
	}
	return r.outcome(err)
}

// realHash reports a digest the engine computed: files the receiver skipped
// as already complete (resume) come back with an all-zero hash.
func realHash(h []byte) bool {
	for _, b := range h {
		if b != 0 {
			return true
		}
	}
	return false
}
