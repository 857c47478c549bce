package daemon

import (
	"bytes"
	"encoding/json"

	"github.com/jetstream-go/jetstream/daemon/api"
)

// startWatch subscribes the connection to events; they are streamed as
// {"id": <watch id>, "event": {...}} lines until unwatch or disconnect.
func (c *conn) startWatch(req *api.Request) (any, error) {
	if _, ok := c.sess.principal(); !ok {
		return nil, api.Errorf(api.CodeAuthRequired, "watch: authenticate first (auth)")
	}
	if c.sess.viaServerKey() != "" {
		return nil, api.Errorf(api.CodePermissionDenied, "watch: a sending server logged in by its key may only send files (recv.createTicket)")
	}
	var wp api.WatchParams
	if len(req.Parameters) > 0 && string(req.Parameters) != "null" {
		dec := json.NewDecoder(bytes.NewReader(req.Parameters))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&wp); err != nil {
			return nil, api.Errorf(api.CodeInvalidParameter, "watch: parameters: %v (accepted: events, intervalMillis)", err)
		}
	}
	c.wmuWatch.Lock()
	defer c.wmuWatch.Unlock()
	if c.watches == nil {
		return nil, api.Errorf(api.CodeShuttingDown, "watch: connection closing")
	}
	if _, dup := c.watches[req.ID]; dup {
		return nil, api.Errorf(api.CodeBadRequest, "watch: id %d is already watching", req.ID)
	}
	sub := c.srv.bus.subscribe(c.sess.userName(), c.sess.isSuperuser(), wp.Events)
	c.watches[req.ID] = sub
	id := req.ID
	go func() {
		for ev := range sub.ch {
			ev := ev
			c.write(&api.Response{ID: id, Event: &ev})
		}
	}()
	return map[string]any{"watchId": id}, nil
}

func (c *conn) stopWatch(req *api.Request) (any, error) {
	var p struct {
		WatchID int64 `json:"watchId"`
	}
	if err := json.Unmarshal(req.Parameters, &p); err != nil || p.WatchID == 0 {
		return nil, api.Errorf(api.CodeInvalidParameter, "unwatch: parameter \"watchId\" (the id of the watch request) is required")
	}
	c.wmuWatch.Lock()
	sub := c.watches[p.WatchID]
	delete(c.watches, p.WatchID)
	c.wmuWatch.Unlock()
	if sub == nil {
		return nil, api.Errorf(api.CodeNotFound, "unwatch: no watch with id %d on this connection", p.WatchID)
	}
	c.srv.bus.unsubscribe(sub)
	return nil, nil
}
