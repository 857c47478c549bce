package driver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// iperfReport is the part of `iperf3 -J` client output the driver uses.
type iperfReport struct {
	Start struct {
		TCPMssDefault int `json:"tcp_mss_default"`
	} `json:"start"`
	Intervals []struct {
		Streams []struct {
			RTT int64 `json:"rtt"` // µs, TCP only
		} `json:"streams"`
		Sum struct {
			End           float64 `json:"end"`
			BitsPerSecond float64 `json:"bits_per_second"`
		} `json:"sum"`
	} `json:"intervals"`
	End struct {
		SumSent struct {
			Bytes       int64   `json:"bytes"`
			Retransmits int64   `json:"retransmits"`
			Seconds     float64 `json:"seconds"`
		} `json:"sum_sent"`
		SumReceived struct {
			Bytes   int64   `json:"bytes"`
			Seconds float64 `json:"seconds"`
		} `json:"sum_received"`
		SenderTCPCongestion string `json:"sender_tcp_congestion"`
	} `json:"end"`
	Error string `json:"error"`
}

// iperfSummary is what a client report says about one TCP test.
type iperfSummary struct {
	Bytes      int64 // received
	Seconds    float64
	RetransPct float64
	Congestion string
	Series     []Sample
}

// parseIperf decodes `iperf3 -J` client output. A report that carries an
// "error" is returned as an error with iperf3's text.
func parseIperf(b []byte) (iperfSummary, error) {
	var r iperfReport
	if err := json.NewDecoder(bytes.NewReader(b)).Decode(&r); err != nil {
		return iperfSummary{}, fmt.Errorf("iperf3 JSON: %w", err)
	}
	if r.Error != "" {
		return iperfSummary{}, errors.New("iperf3: " + r.Error)
	}
	s := iperfSummary{
		Bytes:      r.End.SumReceived.Bytes,
		Seconds:    r.End.SumReceived.Seconds,
		Congestion: r.End.SenderTCPCongestion,
		RetransPct: -1,
	}
	if s.Bytes < 0 || !(s.Seconds > 0) || r.End.SumSent.Bytes < 0 || r.End.SumSent.Retransmits < 0 {
		return iperfSummary{}, fmt.Errorf("iperf3 JSON: no usable end summary (bytes %d, seconds %v)", s.Bytes, s.Seconds)
	}
	mss := r.Start.TCPMssDefault
	if mss <= 0 {
		mss = 1448
	}
	if segs := float64(r.End.SumSent.Bytes) / float64(mss); segs > 0 {
		s.RetransPct = float64(r.End.SumSent.Retransmits) / segs * 100
	}
	for _, iv := range r.Intervals {
		sm := Sample{T: iv.Sum.End, Mbit: iv.Sum.BitsPerSecond / 1e6}
		if len(iv.Streams) > 0 && iv.Streams[0].RTT > 0 {
			sm.RTTms = float64(iv.Streams[0].RTT) / 1000
		}
		s.Series = append(s.Series, sm)
	}
	return s, nil
}
