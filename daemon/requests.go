package daemon

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
)

// requests holds asynchronous requests and their results until they expire.
type requests struct {
	ttl    time.Duration
	mu     sync.Mutex
	nextID int64
	byID   map[int64]*asyncReq
	stop   chan struct{}
	once   sync.Once
}

type asyncReq struct {
	id      int64
	owner   string
	sess    *session // creator; requests made before login are visible to it only
	method  string
	done    chan struct{}
	result  any
	err     error
	expires time.Time // zero while running
}

const defaultResultTTL = 10 * time.Minute

func newRequests(ttl time.Duration) *requests {
	if ttl <= 0 {
		ttl = defaultResultTTL
	}
	r := &requests{ttl: ttl, byID: map[int64]*asyncReq{}, stop: make(chan struct{})}
	go r.sweep()
	return r
}

// start runs fn in the background and returns its request id. fn gets a
// context that ends when the server stops.
func (r *requests) start(ctx context.Context, ss *session, method string, fn func(ctx context.Context) (any, error)) *asyncReq {
	r.mu.Lock()
	r.nextID++
	ar := &asyncReq{id: r.nextID, owner: ss.userName(), sess: ss, method: method, done: make(chan struct{})}
	r.byID[ar.id] = ar
	r.mu.Unlock()
	go func() {
		res, err := fn(ctx)
		r.mu.Lock()
		ar.result, ar.err = res, err
		ar.expires = time.Now().Add(r.ttl)
		r.mu.Unlock()
		close(ar.done)
	}()
	return ar
}

// get finds a request visible to the session.
func (r *requests) get(id int64, ss *session) (*asyncReq, error) {
	r.mu.Lock()
	ar := r.byID[id]
	r.mu.Unlock()
	if ar == nil || ar.sess != ss && (ar.owner == "" || !ss.canSee(ar.owner)) {
		return nil, api.Errorf(api.CodeNotFound, "request %d not found: it expired or was never issued", id)
	}
	return ar, nil
}

func (r *requests) status(ar *asyncReq) api.RequestStatus {
	st := api.RequestStatus{RequestID: ar.id}
	select {
	case <-ar.done:
	default:
		st.Processing = true
		st.Status = api.RequestPending
		return st
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if ar.err != nil {
		st.Status = api.RequestError
		st.ErrorMessage = ar.err.Error()
		st.ErrorCode = api.CodeOf(ar.err)
	} else {
		st.Status = api.RequestSuccess
	}
	return st
}

func (r *requests) sweep() {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-r.stop:
			return
		case now := <-t.C:
			r.mu.Lock()
			for id, ar := range r.byID {
				if !ar.expires.IsZero() && now.After(ar.expires) {
					delete(r.byID, id)
				}
			}
			r.mu.Unlock()
		}
	}
}

func (r *requests) close() { r.once.Do(func() { close(r.stop) }) }

// requestIDParam accepts an integer id or a Request Structure.
func requestIDParam(p params) (int64, error) {
	raw := p.rawValue("requestId")
	var id float64
	if err := json.Unmarshal(raw, &id); err == nil {
		return int64(id), nil
	}
	var ref struct {
		RequestID *float64 `json:"requestId"`
	}
	if err := json.Unmarshal(raw, &ref); err == nil && ref.RequestID != nil {
		return int64(*ref.RequestID), nil
	}
	return 0, p.invalid("requestId", "want a request id or a Request Structure {\"requestId\": N}")
}

// async starts fn as the session's asynchronous request and returns its
// Request Structure.
func (c *call) async(fn func(ctx context.Context) (any, error)) (any, error) {
	ar := c.srv.requests.start(c.srv.baseCtx, c.sess, c.p.method.Name, fn)
	return api.RequestRef{RequestID: ar.id}, nil
}

func (s *Server) registerRequestMethods(r routes) {
	r["getRequestStatus"] = func(c *call) (any, error) {
		id, err := requestIDParam(c.p)
		if err != nil {
			return nil, err
		}
		ar, err := s.requests.get(id, c.sess)
		if err != nil {
			return nil, err
		}
		return s.requests.status(ar), nil
	}
	r["getRequestResult"] = func(c *call) (any, error) {
		id, err := requestIDParam(c.p)
		if err != nil {
			return nil, err
		}
		ar, err := s.requests.get(id, c.sess)
		if err != nil {
			return nil, err
		}
		ctx := c.ctx
		if t := c.p.float("timeoutSeconds", 0); t > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, time.Duration(t*float64(time.Second)))
			defer cancel()
		} else if t < 0 {
			return nil, c.p.invalid("timeoutSeconds", "must not be negative")
		}
		select {
		case <-ar.done:
		case <-ctx.Done():
			if c.ctx.Err() != nil {
				return nil, api.Errorf(api.CodeCancelled, "request %d: connection closing", id)
			}
			return nil, api.Errorf(api.CodeUnavailable, "request %d is still pending after the timeout", id)
		}
		s.requests.mu.Lock()
		res, rerr := ar.result, ar.err
		s.requests.mu.Unlock()
		if rerr != nil {
			return nil, rerr
		}
		return res, nil
	}
}
