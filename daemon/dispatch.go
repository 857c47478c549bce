package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/jetstream-go/jetstream/daemon/api"
)

// call is one request being handled.
type call struct {
	ctx  context.Context
	srv  *Server
	conn *conn
	sess *session
	id   int64
	p    params
}

// handler implements one API method. It returns the result (encoded as
// JSON; nil is JSON null) or an error (an *api.Error for expected failures).
type handler func(c *call) (any, error)

// routes is the dispatch table being built.
type routes map[string]handler

func (s *Server) routeTable() routes {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.routes == nil {
		r := routes{}
		s.registerServerMethods(r)
		for _, e := range s.ext {
			e.register(r)
		}
		s.routes = r
	}
	return s.routes
}

func (c *conn) handle(req *api.Request) {
	resp := &api.Response{ID: req.ID}
	result, done, err := c.dispatch(req)
	if err == nil {
		b, merr := json.Marshal(result)
		if merr != nil {
			err = fmt.Errorf("encode result: %w", merr)
		} else {
			resp.Status = api.StatusSuccess
			resp.Result = b
			resp.Message = done
		}
	}
	if err != nil {
		var ae *api.Error
		if !errors.As(err, &ae) {
			c.srv.log.Error("internal error", "method", req.Request, "user", c.sess.userName(), "err", err)
			ae = &api.Error{Code: api.CodeInternal, Message: err.Error()}
		}
		resp.Status, resp.Code, resp.Message = api.StatusError, ae.Code, ae.Message
	}
	// Queue the on.<command> trigger before answering: a client that sends
	// its next command after this answer finds its triggers queued in order.
	c.srv.afterCall(c.sess, req, resp)
	c.write(resp)
}

// dispatch runs req and returns its result and the success message it
// carries ("OK" unless the method documents its own).
func (c *conn) dispatch(req *api.Request) (result any, done string, err error) {
	defer func() {
		if r := recover(); r != nil {
			c.srv.log.Error("panic in API handler", "method", req.Request, "panic", r, "stack", string(debug.Stack()))
			result, err = nil, api.Errorf(api.CodeInternal, "internal error while handling %s", req.Request)
		}
	}()
	m, err := lookupMethod(req.Request)
	if err != nil {
		return nil, "", err
	}
	switch m.Name {
	case api.MethodWatch:
		result, err = c.startWatch(req)
	case api.MethodUnwatch:
		result, err = c.stopWatch(req)
	default:
		result, err = c.invoke(req, m)
	}
	return result, m.SuccessMessage(), err
}

// lookupMethod finds the method a request names.
func lookupMethod(name string) (api.Method, error) {
	if name == "" {
		return api.Method{}, api.Errorf(api.CodeBadRequest, "request has no \"request\" method name")
	}
	if name == api.MethodWatch || name == api.MethodUnwatch {
		return api.Method{Name: name}, nil
	}
	m, amb, ok := api.Lookup(name)
	if !ok {
		if len(amb) > 0 {
			return api.Method{}, api.Errorf(api.CodeUnknownMethod, "method %q is ambiguous: use one of %s", name, strings.Join(amb, ", "))
		}
		return api.Method{}, api.Errorf(api.CodeUnknownMethod, "unknown method %q%s", name, api.SuggestText(name))
	}
	return m, nil
}

// invoke checks the caller's rights and the parameters, then runs m's handler.
func (c *conn) invoke(req *api.Request, m api.Method) (any, error) {
	h := c.srv.routeTable()[m.Name]
	if h == nil {
		return nil, api.Errorf(api.CodeNotEnabled, "%s is not available on this server", m.Name)
	}
	if !m.NoAuth {
		if _, authed := c.sess.principal(); !authed {
			return nil, api.Errorf(api.CodeAuthRequired, "%s: authenticate first (auth)", m.Name)
		}
	}
	if err := keySessionAllowed(c.sess, m); err != nil {
		return nil, err
	}
	if m.Superuser && !c.sess.isSuperuser() {
		return nil, api.Errorf(api.CodePermissionDenied, "%s: superuser privileges required (call superuser first)", m.Name)
	}
	p, err := parseParams(m, req.Parameters)
	if err != nil {
		return nil, err
	}
	return h(&call{ctx: c.ctx, srv: c.srv, conn: c, sess: c.sess, id: req.ID, p: p})
}
