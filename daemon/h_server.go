package daemon

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/auth"
	"github.com/jetstream-go/jetstream/daemon/store"
)

func (s *Server) registerServerMethods(r routes) {
	s.registerRequestMethods(r)
	s.registerSandboxMethods(r)
	s.registerFSMethods(r)
	s.registerAdminMethods(r)
	s.registerDiscoverMethods(r)
	s.registerManifestMethods(r)
	s.registerDestinationMethods(r)
	s.registerTransferMethods(r)
	s.registerRecvMethods(r)
	s.registerAuthorizedClientMethods(r)
	s.registerServerKeyMethods(r)

	r["auth"] = func(c *call) (any, error) {
		return nil, s.login(c.ctx, c.sess, c.p.str("userName"), c.p.str("password"))
	}
	r["authAsync"] = func(c *call) (any, error) {
		if c.p.has("token") {
			if c.p.has("userName") {
				return nil, c.p.invalid("token", "give either userName or token, not both")
			}
			return nil, errTokens
		}
		if !c.p.has("userName") {
			return nil, api.Errorf(api.CodeInvalidParameter, "authAsync: missing parameter \"userName\" (or \"token\")")
		}
		user, pass := c.p.str("userName"), c.p.str("password")
		return c.async(func(ctx context.Context) (any, error) {
			return nil, s.login(ctx, c.sess, user, pass)
		})
	}
	r["authToken"] = func(c *call) (any, error) { return nil, errTokens }
	r["echo"] = func(c *call) (any, error) {
		if !c.p.has("text") {
			return nil, nil
		}
		return c.p.str("text"), nil
	}
	r["getServerInfo"] = func(c *call) (any, error) { return s.serverInfo(c.sess), nil }
	r["superuser"] = func(c *call) (any, error) {
		p, _ := c.sess.principal()
		if !p.SuperuserEligible {
			return nil, api.Errorf(api.CodePermissionDenied, "superuser: user %q is not eligible for superuser privileges", p.Name)
		}
		c.sess.setSuperuser()
		return nil, nil
	}
	r["getEventLog"] = func(c *call) (any, error) {
		f := store.EventFilter{Name: c.p.str("eventName"), Limit: int(c.p.int("limit", 0))}
		if f.Limit < 0 {
			return nil, c.p.invalid("limit", "must be >= 0")
		}
		if c.p.has("before") {
			v := c.p.int("before", 0)
			f.Before = &v
		}
		if c.p.has("after") {
			v := c.p.int("after", 0)
			f.After = &v
		}
		if !c.sess.isSuperuser() {
			f.Owner = c.sess.userName()
		}
		evs, err := s.store.Events(f)
		if err != nil {
			return nil, err
		}
		out := api.EventLog{EventLog: make([]api.Event, 0, len(evs))}
		for _, e := range evs {
			out.EventLog = append(out.EventLog, api.Event{Seq: e.Seq, Name: e.Name, Timestamp: e.Timestamp, Fields: e.Fields})
		}
		return out, nil
	}
}

var errTokens = api.Errorf(api.CodeNotEnabled, "tokens are not enabled on this server")

// login authenticates and binds the session to the user.
func (s *Server) login(ctx context.Context, ss *session, user, pass string) error {
	remote := ss.remote.String()
	p, err := s.auth.Authenticate(ctx, user, pass, remote)
	if err != nil {
		if ctx.Err() != nil {
			return api.Errorf(api.CodeCancelled, "auth: cancelled")
		}
		s.bus.emit("", "authFailed", map[string]any{"userName": user, "remote": remote})
		if errors.Is(err, auth.ErrAuthFailed) {
			return api.Errorf(api.CodeAuthFailed, "authentication failed")
		}
		return api.Errorf(api.CodeAuthFailed, "authentication failed: %v", err)
	}
	if err := s.ensureSandboxRoots(p); err != nil { // sandbox_root.go
		s.log.Warn("cannot create the user's sandbox root", "user", p.Name, "err", err)
	}
	sb, err := s.sandboxFor(p.Name)
	if err != nil {
		return api.Errorf(api.CodeInternal, "auth: the sandbox of %q is invalid: %v", p.Name, err)
	}
	ss.login(p, sb)
	s.bus.emit(p.Name, "authSucceeded", map[string]any{"userName": p.Name, "remote": remote})
	return nil
}

func (s *Server) serverInfo(ss *session) api.ServerInfo {
	si := api.ServerInfo{
		AllowRemoteControl:  s.cfg.APIAllowRemoteControl,
		APIControlPort:      portOf(s.Addr()),
		APIVersion:          api.APIVersion,
		AuthRequired:        true,
		EncryptionAvailable: true,
		EventLogAvailable:   true,
		HostName:            hostName(),
		License: api.License{Required: false, KeySet: s.licenseKeySet(),
			Message: "this server needs no licence key"},
		MinCipher:             api.CipherNone,
		MultiplexAvailable:    true,
		PublicKey:             s.publicKey(),
		Receiver:              api.ReceiverInfo{RecvPort: s.recvPort(), OnlyAuthorizedClientsAllowed: s.onlyAuthorizedClients()},
		Revision:              s.revision,
		ServerExternalAddress: s.cfg.ExternalAddress,
		ServerID:              s.serverID,
		ServerName:            hostName(),
		ServerUID:             s.uid,
		Version:               s.version,
	}
	bw := s.settings.bandwidth()
	si.BandwidthLimits = &bw
	if p, ok := ss.principal(); ok {
		si.Receiver.DataPort = s.dataPortStats()
		si.UserName = p.Name
		si.Superuser = ss.isSuperuser()
		ss.mu.Lock()
		if ss.sandbox != nil && !ss.sandbox.IsUnsandboxed() {
			si.Sandbox = map[string]string{}
			for _, r := range ss.sandbox.Roots() {
				si.Sandbox[r.Name] = r.Path
			}
		}
		ss.mu.Unlock()
	}
	if ss.isSuperuser() {
		gc := s.settings.gcSettings()
		si.Configuration = map[string]any{
			"garbageCollect":     gc,
			"persistentStateDir": s.cfg.PersistentStateDir,
			"sandboxDir":         s.cfg.SandboxDir,
			"triggerDir":         s.cfg.TriggerDir,
			"recvPort":           s.recvPort(),
			"pid":                os.Getpid(),
			"uptimeSeconds":      int64(time.Since(s.started).Seconds()),
		}
	}
	return si
}

// hooks for subsystems that are wired later; defaults keep the server
// usable without them.
func (s *Server) recvPort() int {
	if s.engine != nil {
		return s.engine.LocalAddr().Port
	}
	return s.cfg.RecvPort
}
