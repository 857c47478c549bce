package daemon

import (
	"context"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
)

const maxSleep = time.Hour

func (s *Server) registerAdminMethods(r routes) {
	r["sleep"] = func(c *call) (any, error) {
		ms := c.p.int("milliseconds", 0)
		if ms < 0 || time.Duration(ms)*time.Millisecond > maxSleep {
			return nil, c.p.invalid("milliseconds", "must be between 0 and %d", maxSleep.Milliseconds())
		}
		t := time.NewTimer(time.Duration(ms) * time.Millisecond)
		defer t.Stop()
		select {
		case <-t.C:
			return nil, nil
		case <-c.ctx.Done():
			return nil, api.Errorf(api.CodeCancelled, "sleep: interrupted")
		}
	}
	r["terminate"] = func(c *call) (any, error) {
		s.log.Info("terminate requested", "user", c.sess.userName())
		s.termOnce.Do(func() { close(s.terminated) })
		return nil, nil
	}
	r["setLicenseKeyAsync"] = func(c *call) (any, error) {
		key := c.p.str("key")
		if key == "" {
			return nil, c.p.invalid("key", "must not be empty")
		}
		if c.p.bool("validate", false) {
			return nil, api.Errorf(api.CodeNotEnabled, "setLicenseKeyAsync: this server needs no licence and has no licence server to validate against; call again without validate")
		}
		return c.async(func(context.Context) (any, error) {
			return nil, s.store.Put(settingsBucket, "licenseKey", key)
		})
	}
	r["getThirdPartyLicenses"] = func(c *call) (any, error) { return thirdPartyLicenses(), nil }
	r["getGarbageCollectSettings"] = func(c *call) (any, error) { return s.settings.gcSettings(), nil }
	r["updateGarbageCollectSettings"] = func(c *call) (any, error) {
		gc := s.settings.gcSettings()
		if c.p.has("intervalSeconds") {
			v := c.p.int("intervalSeconds", 0)
			if v < api.GCIntervalMin || v > api.GCIntervalMax {
				return nil, c.p.invalid("intervalSeconds", "must be between %d and %d, got %d", api.GCIntervalMin, api.GCIntervalMax, v)
			}
			gc.IntervalSeconds = v
		}
		if c.p.has("timeLimitSeconds") {
			v := c.p.int("timeLimitSeconds", 0)
			if v < 0 || v > api.GCTimeLimitMax {
				return nil, c.p.invalid("timeLimitSeconds", "must be between 0 and %d, got %d", api.GCTimeLimitMax, v)
			}
			gc.TimeLimitSeconds = v
		}
		if err := s.settings.setGC(gc); err != nil {
			return nil, err
		}
		s.gcKick()
		return gc, nil
	}
	r["garbageCollect"] = func(c *call) (any, error) {
		return s.runGC(c.p.bool("force", false)), nil
	}
	r["getBandwidthLimits"] = func(c *call) (any, error) { return s.settings.bandwidth(), nil }
	r["updateBandwidthLimits"] = func(c *call) (any, error) {
		bw, err := s.settings.updateBandwidth(c.p)
		if err != nil {
			return nil, err
		}
		s.applyBandwidth(bw)
		s.bus.emit("", "bandwidthLimitsChanged", map[string]any{"bandwidthLimits": bw})
		return nil, nil
	}
}

func (s *Server) licenseKeySet() bool {
	var k string
	ok, _ := s.store.Get(settingsBucket, "licenseKey", &k)
	return ok && k != ""
}
