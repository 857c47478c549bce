package daemon

import (
	"sync"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/config"
	"github.com/jetstream-go/jetstream/daemon/store"
)

// settings are the server-wide values changeable through the API and kept in
// the store: GC, bandwidth limits and the licence key.
type settings struct {
	st     *store.Store
	mu     sync.Mutex
	gc     api.GarbageCollect
	bw     api.BandwidthLimits
	locked map[string]bool
}

const settingsBucket = "settings"

func loadSettings(st *store.Store, cfg config.Server) (*settings, error) {
	s := &settings{st: st, locked: map[string]bool{}}
	s.gc = api.GarbageCollect{IntervalSeconds: int64(cfg.GCIntervalSeconds), TimeLimitSeconds: int64(cfg.GCTimeLimitSeconds)}
	if _, err := st.Get(settingsBucket, "gc", &s.gc); err != nil {
		return nil, err
	}
	if _, err := st.Get(settingsBucket, "bandwidth", &s.bw); err != nil {
		return nil, err
	}
	// Limits given at start-up (flags, environment or config file) win and
	// are locked until restart, as the product documents.
	if cfg.IncomingRateLimit > 0 {
		s.bw.IncomingLimitActive, s.bw.IncomingRateLimit = true, cfg.IncomingRateLimit
		s.locked["incomingLimitActive"], s.locked["incomingRateLimit"] = true, true
	}
	if cfg.OutgoingRateLimit > 0 {
		s.bw.OutgoingLimitActive, s.bw.OutgoingRateLimit = true, cfg.OutgoingRateLimit
		s.locked["outgoingLimitActive"], s.locked["outgoingRateLimit"] = true, true
	}
	if cfg.BorrowIncomingRate {
		s.bw.BorrowIncoming, s.locked["borrowIncoming"] = true, true
	}
	if cfg.BorrowOutgoingRate {
		s.bw.BorrowOutgoing, s.locked["borrowOutgoing"] = true, true
	}
	return s, nil
}

func (s *settings) gcSettings() api.GarbageCollect {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gc
}

func (s *settings) setGC(gc api.GarbageCollect) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.st.Put(settingsBucket, "gc", gc); err != nil {
		return err
	}
	s.gc = gc
	return nil
}

func (s *settings) bandwidth() api.BandwidthLimits {
	s.mu.Lock()
	defer s.mu.Unlock()
	bw := s.bw
	bw.Locked = nil
	for _, k := range bandwidthFields {
		if s.locked[k] {
			bw.Locked = append(bw.Locked, k)
		}
	}
	return bw
}

var bandwidthFields = []string{"incomingLimitActive", "incomingRateLimit", "incomingMaxConnections",
	"borrowOutgoing", "outgoingLimitActive", "outgoingRateLimit", "borrowIncoming"}

// updateBandwidth applies the present parameters; a locked one fails the
// whole update.
func (s *settings) updateBandwidth(p params) (api.BandwidthLimits, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range bandwidthFields {
		if p.has(k) && s.locked[k] {
			return api.BandwidthLimits{}, api.Errorf(api.CodeLocked,
				"updateBandwidthLimits: %s was set when the server started and is locked until restart", k)
		}
	}
	bw := s.bw
	for _, k := range []string{"incomingRateLimit", "outgoingRateLimit"} {
		if v := p.float(k, 0); v < 0 {
			return bw, p.invalid(k, "must be >= 0 kbit/s, got %v", v)
		}
	}
	if v := p.int("incomingMaxConnections", 0); v < 0 {
		return bw, p.invalid("incomingMaxConnections", "must be >= 0, got %d", v)
	}
	if b := p.optBool("incomingLimitActive"); b != nil {
		bw.IncomingLimitActive = *b
	}
	if p.has("incomingRateLimit") {
		bw.IncomingRateLimit = p.float("incomingRateLimit", 0)
	}
	if p.has("incomingMaxConnections") {
		bw.IncomingMaxConnections = int(p.int("incomingMaxConnections", 0))
	}
	if b := p.optBool("borrowOutgoing"); b != nil {
		bw.BorrowOutgoing = *b
	}
	if b := p.optBool("outgoingLimitActive"); b != nil {
		bw.OutgoingLimitActive = *b
	}
	if p.has("outgoingRateLimit") {
		bw.OutgoingRateLimit = p.float("outgoingRateLimit", 0)
	}
	if b := p.optBool("borrowIncoming"); b != nil {
		bw.BorrowIncoming = *b
	}
	if err := s.st.Put(settingsBucket, "bandwidth", bw); err != nil {
		return bw, err
	}
	s.bw = bw
	return bw, nil
}
