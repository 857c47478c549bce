package netns

import (
	"context"
	"encoding/json"
	"fmt"
)

// LinkStats are a device's kernel counters.
type LinkStats struct {
	TxPackets, TxDropped, RxPackets, RxDropped uint64
}

// LinkStats reads dev's counters inside the namespace (`ip -s -j link`).
func (n *Namespace) LinkStats(ctx context.Context, dev string) (LinkStats, error) {
	out, err := n.IPOutput(ctx, "-s", "-j", "link", "show", "dev", dev)
	if err != nil {
		return LinkStats{}, err
	}
	return parseLinkStats(out)
}

// parseLinkStats decodes `ip -s -j link show dev X` output.
func parseLinkStats(b []byte) (LinkStats, error) {
	var links []struct {
		Stats struct {
			Rx struct {
				Packets uint64 `json:"packets"`
				Dropped uint64 `json:"dropped"`
			} `json:"rx"`
			Tx struct {
				Packets uint64 `json:"packets"`
				Dropped uint64 `json:"dropped"`
			} `json:"tx"`
		} `json:"stats64"`
	}
	if err := json.Unmarshal(b, &links); err != nil {
		return LinkStats{}, fmt.Errorf("ip -s -j link: %w", err)
	}
	if len(links) != 1 {
		return LinkStats{}, fmt.Errorf("ip -s -j link: %d devices, want 1", len(links))
	}
	s := links[0].Stats
	return LinkStats{TxPackets: s.Tx.Packets, TxDropped: s.Tx.Dropped, RxPackets: s.Rx.Packets, RxDropped: s.Rx.Dropped}, nil
}
