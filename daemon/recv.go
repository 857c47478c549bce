package daemon

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/fsops"
	"github.com/jetstream-go/jetstream/net/engine"
)

// recvState tracks incoming transfers for recv.getTransfersAsync and
// recv.getSourcesAsync.
type recvState struct {
	mu   sync.Mutex
	byID map[string]*api.RecvTransfer
	live liveSessions // running sessions by transfer key
}

// fileLog collects per-file outcomes of a session for triggers and events.
type fileLog struct {
	mu    sync.Mutex
	files []map[string]any
	errs  []string
}

func (f *fileLog) FileDone(r engine.FileResult) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.Err != nil {
		f.errs = append(f.errs, r.Path+": "+r.Err.Error())
		return
	}
	f.files = append(f.files, map[string]any{"inputPath": r.Path, "outputPath": r.HostPath})
}

// failure summarises failed files as an error (nil when none failed).
func (f *fileLog) failure(total int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.errs) == 0 {
		return nil
	}
	shown := f.errs
	if len(shown) > 3 {
		shown = shown[:3]
	}
	return fmt.Errorf("%d of %d files failed: %s", len(f.errs), total, strings.Join(shown, "; "))
}

func (s *Server) checkpointDir() string {
	return filepath.Join(s.cfg.PersistentStateDir, "checkpoints")
}

func (s *Server) registerRecvMethods(r routes) {
	r["recv.createTicket"] = func(c *call) (any, error) {
		ow := int(c.p.int("overwrite", api.OverwriteAlways))
		if ow < 0 || ow > 5 {
			return nil, c.p.invalid("overwrite", "must be 0-5, got %d", ow)
		}
		cipher := int(c.p.int("minCipher", api.CipherAES128))
		if cipher < 0 || cipher > 3 {
			return nil, c.p.invalid("minCipher", "must be 0-3, got %d", cipher)
		}
		key := c.p.str("transferKey")
		if key == "" || len(key) > 200 || strings.ContainsAny(key, "/\x00") {
			return nil, c.p.invalid("transferKey", "must be 1-200 characters without '/'")
		}
		prop, err := proposedTicket(c.p) // ticket.go
		if err != nil {
			return nil, err
		}
		if err := s.mayReceiveFrom(c.sess); err != nil { // recv_clients.go
			return nil, err
		}
		ops := c.sess.ops()
		user := c.sess.userName()
		destPath := c.p.str("destinationPath")
		// Refuse a bad destination path now rather than file by file.
		if _, err := ops.Sandbox.LandingPath(destPath, "x"); err != nil {
			var pe *fsops.PathError
			if errors.As(err, &pe) { // name the caller's path, not the probe file
				pe.Op, pe.Path = "destinationPath", destPath
			}
			return nil, fsError(err)
		}
		cp := time.Duration(c.p.int("checkpointFrequencySeconds", defaultCheckpointSeconds)) * time.Second
		sink, err := engine.NewDiskSink(engine.DiskSinkConfig{
			Land:            func(target string) (string, error) { return ops.Sandbox.LandingPath(destPath, target) },
			Overwrite:       ow,
			StateDir:        s.checkpointDir(),
			CheckpointEvery: cp,
			AsUser: func(fn func() error) error { // fsgate.go: a transfer's file work queues, never busy
				if fsops.RunningAs(ops.ID) { // inside a batch that holds a slot already
					return fn()
				}
				return s.fsGate.do(s.baseCtx, false, func() error { return fsops.AsUser(ops.ID, fn) })
			},
			NoWrite: c.p.int("transferFlags", api.TransferFlagsDefault)&api.TransferFlagWrite == 0,
		})
		if err != nil {
			return nil, err
		}
		tid := orDefault(c.p.str("transferId"), key)
		var ud map[string]any
		_ = c.p.decode("userData", &ud)
		log := &fileLog{}
		// A sender that restarted or lost us asks again with the same key:
		// stop the old session first (it checkpoints as it stops) so the new
		// one resumes from the latest state and no two write the same files.
		// Checkpoints are kept per user: a key chosen by one user never
		// resumes (or reveals) another user's transfer.
		userKey := user + "/" + key
		if err := s.recv.live.supersede(userKey, user); err != nil {
			return nil, err
		}
		tk, sess, err := s.acceptSession(prop, engine.Ticket{Cipher: engine.Cipher(cipher), TransferKey: userKey},
			engine.Side{Sink: sink, Observer: log})
		if err != nil {
			return nil, err
		}
		s.recv.live.track(userKey, user, sess)
		rt := &api.RecvTransfer{TransferID: tid, DestinationPath: destPath, Status: "receiving",
			TotalSize: c.p.int("totalSize", 0), Owner: user, SourceIP: hostOf(c.sess.remote.String())}
		s.recv.add(rt)
		meta := map[string]any{"transferId": tid, "destinationPath": destPath, "totalSize": rt.TotalSize, "userData": ud}
		token := c.sess.tokenName() // the API token that authorised the transfer ("" = none), per the trigger docs
		s.bus.emit(user, "recvTransferStarted", map[string]any{"transferId": tid, "userName": user, "token": token, "metadata": meta})
		s.goWorker(func() { s.watchRecv(sess, rt, log, ud, token) }) // lifecycle.go: Shutdown waits for it
		return api.Ticket{Conv: tk.Conv, Cipher: cipher, Key: tk.Key, TransferKey: key,
			RecvPort: s.data.LocalAddr().Port, ServerUID: s.uid, Protocol: engine.ProtocolVersion}, nil
	}
	r["recv.getTransfersAsync"] = func(c *call) (any, error) {
		list := s.recv.list(c.sess)
		return c.async(func(context.Context) (any, error) { return map[string]any{"transfers": list}, nil })
	}
	r["recv.getSourcesAsync"] = func(c *call) (any, error) {
		list := s.recv.sources(c.sess)
		return c.async(func(context.Context) (any, error) { return map[string]any{"sources": list}, nil })
	}
	r["send.createTicket"] = func(c *call) (any, error) { return s.downloadTicket(c) }
}

func (s *Server) watchRecv(sess *engine.Session, rt *api.RecvTransfer, log *fileLog, ud map[string]any, token string) {
	<-sess.Done()
	s.recv.live.untrack(sess)
	err := sess.Err()
	st := sess.Stats()
	now := time.Now().UnixMicro()
	s.recv.mu.Lock()
	rt.BytesRecv = st.BytesRecv
	rt.LastRecvTime = &now
	if err != nil {
		rt.Status, rt.LastErrorTime, rt.LastErrorMessage = "error", &now, err.Error()
	} else {
		rt.Status = "complete"
	}
	s.recv.mu.Unlock()
	log.mu.Lock()
	files := log.files
	log.mu.Unlock()
	if err == nil {
		err = log.failure(len(files) + len(log.errs))
	}
	if err != nil {
		s.bus.emit(rt.Owner, "recvTransferFailed", map[string]any{"transferId": rt.TransferID, "userName": rt.Owner, "errorMessage": err.Error()})
		return
	}
	s.bus.emit(rt.Owner, "recvTransferComplete", map[string]any{"transferId": rt.TransferID, "userName": rt.Owner,
		"token": token, "files": files, "userData": ud})
}

// downloadTicket opens a session in which this server sends the caller's
// files (resolved in the caller's sandbox) to the caller.
func (s *Server) downloadTicket(c *call) (any, error) {
	maps, err := parseFileMappings(c.p)
	if err != nil {
		return nil, err
	}
	if err := checkRates(c.p); err != nil {
		return nil, err
	}
	cipher := int(c.p.int("minCipher", api.CipherAES128))
	if cipher < 0 || cipher > 3 {
		return nil, c.p.invalid("minCipher", "must be 0-3, got %d", cipher)
	}
	prop, err := proposedTicket(c.p) // ticket.go
	if err != nil {
		return nil, err
	}
	var files []manifestFile
	err = s.fsOp(c.ctx, func() (err error) { files, err = buildFileList(c.ctx, c.sess.ops(), maps, true); return err })
	if err != nil {
		return nil, fsError(err)
	}
	opts, err := sendOptions(c.p.float("minRate", 0), c.p.float("sendRateMax", 0), c.p.str("policy"), api.TransferFlagsDefault)
	if err != nil {
		return nil, err
	}
	key := orDefault(c.p.str("transferKey"), randomHex(16))
	tk, sess, err := s.acceptSession(prop, engine.Ticket{Cipher: engine.Cipher(cipher), TransferKey: key},
		engine.Side{Source: userSource(sourceFiles(manifestFiles{Files: files}), c.sess.ops().ID), Send: opts})
	if err != nil {
		return nil, err
	}
	user := c.sess.userName()
	s.bus.emit(user, "downloadStarted", map[string]any{"transferKey": key, "files": len(files)})
	s.goWorker(func() {
		<-sess.Done()
		fields := map[string]any{"transferKey": key}
		if err := sess.Err(); err != nil {
			fields["errorMessage"] = err.Error()
		}
		s.bus.emit(user, "downloadFinished", fields)
	})
	return api.Ticket{Conv: tk.Conv, Cipher: cipher, Key: tk.Key, TransferKey: key, RecvPort: s.data.LocalAddr().Port, ServerUID: s.uid,
		Protocol: engine.ProtocolVersion}, nil
}

func (r *recvState) add(t *api.RecvTransfer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byID == nil {
		r.byID = map[string]*api.RecvTransfer{}
	}
	r.byID[t.TransferID] = t
}

func (r *recvState) list(ss *session) []api.RecvTransfer {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := []api.RecvTransfer{}
	for _, t := range r.byID {
		if ss.canSee(t.Owner) {
			out = append(out, *t)
		}
	}
	return out
}

func (r *recvState) sources(ss *session) []api.Source {
	r.mu.Lock()
	defer r.mu.Unlock()
	by := map[string]*api.Source{}
	for _, t := range r.byID {
		if !ss.canSee(t.Owner) {
			continue
		}
		src := by[t.SourceIP]
		if src == nil {
			src = &api.Source{SourceIP: t.SourceIP, EncryptionEnabled: true, EncryptedConnectionState: "established"}
			by[t.SourceIP] = src
		}
		switch t.Status {
		case "receiving":
			src.ActiveTransferCount++
		case "complete":
			src.CompleteTransferCount++
		default:
			src.ErrorTransferCount++
		}
	}
	out := []api.Source{}
	for _, s := range by {
		out = append(out, *s)
	}
	return out
}

func hostOf(addr string) string {
	if i := strings.LastIndexByte(addr, ':'); i > 0 {
		return strings.Trim(addr[:i], "[]")
	}
	return addr
}

func fileMode(m uint32) os.FileMode { return os.FileMode(m) & os.ModePerm }
