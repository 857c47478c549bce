package engine

import (
	"math"
	"sync/atomic"
	"time"
)

// Stats is a point-in-time snapshot of a session's counters.
type Stats struct {
	TotalBytes, TotalBlocks  int64 // size of the transfer as listed so far
	BytesSent, BlocksSent    int64 // data put on the wire, retransmissions included
	BytesAcked, BlocksAcked  int64 // sender: acknowledged; receiver: received (unique)
	BlocksRetransmitted      int64
	PacketsSent, PacketsRecv int64
	BytesRecv                int64 // datagram bytes received
	FilesDone, FilesFailed   int64
	RTT                      time.Duration
	Rate                     float64 // current target rate, bytes/s (sender)
	CurrentFile              string
	MaxPacket                int // negotiated datagram size (0 before the handshake)
}

type counters struct {
	totalBytes, totalBlocks, bytesSent, blocksSent, bytesAcked, blocksAcked atomic.Int64
	retx, packetsSent, packetsRecv, bytesRecv, filesDone, filesFailed       atomic.Int64
	rtt, maxPkt                                                             atomic.Int64
	rate                                                                    atomic.Uint64
	current                                                                 atomic.Pointer[string]
}

func (c *counters) snapshot() Stats {
	st := Stats{
		TotalBytes: c.totalBytes.Load(), TotalBlocks: c.totalBlocks.Load(),
		BytesSent: c.bytesSent.Load(), BlocksSent: c.blocksSent.Load(),
		BytesAcked: c.bytesAcked.Load(), BlocksAcked: c.blocksAcked.Load(),
		BlocksRetransmitted: c.retx.Load(),
		PacketsSent:         c.packetsSent.Load(), PacketsRecv: c.packetsRecv.Load(),
		BytesRecv: c.bytesRecv.Load(), FilesDone: c.filesDone.Load(), FilesFailed: c.filesFailed.Load(),
		RTT:       time.Duration(c.rtt.Load()),
		Rate:      math.Float64frombits(c.rate.Load()),
		MaxPacket: int(c.maxPkt.Load()),
	}
	if p := c.current.Load(); p != nil {
		st.CurrentFile = *p
	}
	return st
}
