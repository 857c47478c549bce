package driver

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// jscpEvent is the part of one `jscp --json` NDJSON event the driver uses.
type jscpEvent struct {
	Event      string  `json:"event"`
	Time       string  `json:"time"`
	Bytes      int64   `json:"bytes"`
	TotalBytes int64   `json:"totalBytes"`
	RTTms      float64 `json:"rttMs"`
	Seconds    float64 `json:"seconds"`
	Retrans    float64 `json:"retransmittedPercent"`
	Files      int64   `json:"files"`
	Failed     int64   `json:"filesFailed"`
	Code       string  `json:"code"`
	Message    string  `json:"message"`
	OK         *bool   `json:"ok"`
	Error      string  `json:"error"`
	Path       string  `json:"path"`
}

// jscpSummary is what a `jscp --json` run says about one upload.
type jscpSummary struct {
	TotalBytes int64     // from the start event
	Start      time.Time // time of the start event (zero: none)
	Bytes      int64     // acknowledged bytes (complete event, else last progress)
	Seconds    float64   // start event to complete event, else to the last progress
	Wall       float64   // jscp's own elapsed time in the complete event (includes the login)
	RetransPct float64   // -1 when there is no complete event
	Complete   bool      // a complete event was seen
	FilesOK    int64
	Failed     int64
	Err        string // error event or failed file_done: "code: message"
	Series     []Sample
}

// maxJSCPLine bounds one NDJSON line.
const maxJSCPLine = 1 << 20

// parseJSCP decodes `jscp --json` output. Lines that are not JSON objects
// are errors; unknown events are ignored. A run cut short (no complete
// event) still yields the bytes and time of its last progress event.
func parseJSCP(b []byte) (jscpSummary, error) {
	s := jscpSummary{RetransPct: -1}
	var t0, lastT time.Time
	var lastBytes int64
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), maxJSCPLine)
	line := 0
	for sc.Scan() {
		line++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		var ev jscpEvent
		if err := json.Unmarshal(raw, &ev); err != nil {
			return s, fmt.Errorf("jscp JSON line %d: %w", line, err)
		}
		var at time.Time
		if ev.Time != "" {
			t, err := time.Parse(time.RFC3339Nano, ev.Time)
			if err != nil {
				return s, fmt.Errorf("jscp JSON line %d: bad time %q", line, ev.Time)
			}
			at = t
		}
		switch ev.Event {
		case "start":
			s.TotalBytes, t0, lastT, s.Start = ev.TotalBytes, at, at, at
		case "progress":
			if t0.IsZero() {
				t0, lastT = at, at
			}
			if dt := at.Sub(lastT).Seconds(); dt > 0 && ev.Bytes >= lastBytes {
				s.Series = append(s.Series, Sample{T: at.Sub(t0).Seconds(),
					Mbit: float64(ev.Bytes-lastBytes) * 8 / dt / 1e6, RTTms: ev.RTTms})
				lastT, lastBytes = at, ev.Bytes
			}
			s.Bytes = max(s.Bytes, ev.Bytes)
			if !t0.IsZero() {
				s.Seconds = at.Sub(t0).Seconds()
			}
		case "file_done":
			if ev.OK != nil && !*ev.OK && s.Err == "" {
				s.Err = fmt.Sprintf("%s: %s", ev.Path, ev.Error)
			}
		case "complete":
			s.Complete = true
			s.Bytes, s.Seconds, s.Wall, s.RetransPct = ev.Bytes, ev.Seconds, ev.Seconds, ev.Retrans
			if !s.Start.IsZero() && at.After(s.Start) {
				s.Seconds = at.Sub(s.Start).Seconds()
			}
			s.FilesOK, s.Failed = ev.Files, ev.Failed
		case "error":
			s.Err = fmt.Sprintf("%s: %s", ev.Code, ev.Message)
		}
	}
	if err := sc.Err(); err != nil {
		return s, fmt.Errorf("jscp JSON: %w", err)
	}
	if line == 0 {
		return s, errors.New("jscp printed no JSON events")
	}
	return s, nil
}
