package daemon

import (
	"errors"
	"fmt"
	"os"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/triggers"
)

// triggerGlue connects the trigger runner (daemon/triggers) to the server:
// bus events start the event triggers, processed API commands the
// on.<command> triggers (with --trigger-on-api). It is an extension so that
// Shutdown stops the runner after the transfers have stopped.
type triggerGlue struct {
	run     *triggers.Runner
	logFile *os.File // --trigger-log, nil when off
}

// startTriggers starts the trigger runner and hooks it into the bus and the
// API dispatcher. An empty --trigger-dir turns triggers off.
func (s *Server) startTriggers() error {
	if s.cfg.TriggerDir == "" {
		return nil
	}
	g := &triggerGlue{}
	cfg := triggers.Config{Dir: s.cfg.TriggerDir, Timeout: s.cfg.TriggerTimeout, Logger: s.log}
	if s.cfg.TriggerLog != "" {
		f, err := os.OpenFile(s.cfg.TriggerLog, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return fmt.Errorf("open --trigger-log: %w", err)
		}
		g.logFile, cfg.Log = f, f
	}
	r, err := triggers.New(cfg)
	if err != nil {
		if g.logFile != nil {
			g.logFile.Close()
		}
		return err
	}
	g.run = r
	_, statErr := os.Stat(r.Dir())
	s.log.Info("triggers", "dir", r.Dir(), "dirExists", statErr == nil, "log", s.cfg.TriggerLog,
		"onAPI", s.cfg.TriggerOnAPI, "timeout", s.cfg.TriggerTimeout)
	s.bus.hooks = append(s.bus.hooks, g.onEvent)
	if s.cfg.TriggerOnAPI {
		s.callHooks = append(s.callHooks, g.onCall)
	}
	s.ext = append(s.ext, g)
	return nil
}

// onEvent runs under the bus lock: it only checks for the trigger files and
// queues.
func (g *triggerGlue) onEvent(_ string, ev api.Event) {
	if !g.anyExists(triggers.TriggersFor(ev.Name)) {
		return
	}
	for _, c := range triggers.ForEvent(ev.Name, ev.Fields) {
		g.fire(c)
	}
}

// onCall queues on.<command> for a processed API command. The command name
// is resolved against the method table first: a name from the network never
// reaches the file system unchecked.
func (g *triggerGlue) onCall(_ string, req *api.Request, resp *api.Response) {
	name, ok := wireMethodName(req.Request)
	if !ok || !g.run.Exists(triggers.APIPrefix+name) {
		return
	}
	if c, ok := triggers.ForAPICall(name, req.Parameters, resp.Status, resp.Message, resp.Result); ok {
		g.fire(c)
	}
}

// wireMethodName is the full wire name of the method a client asked for
// ("createTransfer" → "send.createTransfer", "server.echo" → "echo"); false
// for unknown methods.
func wireMethodName(sent string) (string, bool) {
	switch sent {
	case api.MethodWatch, api.MethodUnwatch:
		return sent, true
	}
	m, _, ok := api.Lookup(sent)
	if !ok {
		return "", false
	}
	return m.Name, true
}

func (g *triggerGlue) anyExists(names []string) bool {
	for _, n := range names {
		if g.run.Exists(n) {
			return true
		}
	}
	return false
}

// fire queues c. The runner logs drops itself; a closed runner (the server
// is stopping) and a missing trigger are not errors.
func (g *triggerGlue) fire(c triggers.Call) {
	_ = g.run.Fire(c)
}

func (g *triggerGlue) register(routes) {}

func (g *triggerGlue) close() error {
	err := g.run.Close()
	if g.logFile != nil {
		err = errors.Join(err, g.logFile.Close())
	}
	return err
}
