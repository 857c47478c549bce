package daemon

import "github.com/jetstream-go/jetstream/daemon/api"

// AddCallHookForTest installs an after-call hook (the on.<command> trigger
// path) before the server serves. Tests only.
func AddCallHookForTest(s *Server, h func(user string, req *api.Request, resp *api.Response)) {
	s.callHooks = append(s.callHooks, h)
}
