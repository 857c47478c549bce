package api

// DataPortStats counts the datagrams the server's UDP data port has seen and
// dropped (getServerInfo, receiver.dataPort; authenticated sessions only).
// Hostile or stray traffic shows up here without disturbing transfers.
type DataPortStats struct {
	PacketsIn          uint64 `json:"packetsIn"`
	PacketsOut         uint64 `json:"packetsOut"`
	BytesIn            uint64 `json:"bytesIn"`
	BytesOut           uint64 `json:"bytesOut"`
	DroppedBadHeader   uint64 `json:"droppedBadHeader"`   // garbage, truncated, oversized
	DroppedUnknownConv uint64 `json:"droppedUnknownConv"` // no session with that conversation id
	HeldHellos         uint64 `json:"heldHellos"`         // hellos kept until their session's ticket was made
	DroppedAuth        uint64 `json:"droppedAuth"`        // forged, corrupted or wrong key
	DroppedReplay      uint64 `json:"droppedReplay"`      // packet number seen before or too old
	DroppedEarly       uint64 `json:"droppedEarly"`       // before the session's handshake
	DroppedQueueFull   uint64 `json:"droppedQueueFull"`   // a session could not keep up
}
