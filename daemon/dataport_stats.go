package daemon

import "github.com/jetstream-go/jetstream/daemon/api"

// dataPortStats reports the UDP data port's datagram counters (nil before
// the port is open).
func (s *Server) dataPortStats() *api.DataPortStats {
	if s.data == nil {
		return nil
	}
	st := s.data.Stats()
	return &api.DataPortStats{
		PacketsIn: st.PacketsIn, PacketsOut: st.PacketsOut, BytesIn: st.BytesIn, BytesOut: st.BytesOut,
		DroppedBadHeader: st.DroppedBadHeader, DroppedUnknownConv: st.DroppedUnknownConv,
		HeldHellos:  st.HeldHellos,
		DroppedAuth: st.DroppedAuth, DroppedReplay: st.DroppedReplay,
		DroppedEarly: st.DroppedEarly, DroppedQueueFull: st.DroppedQueueFull,
	}
}
