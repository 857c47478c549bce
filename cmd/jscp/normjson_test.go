package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// volatile are JSON event fields whose values depend on timing or on the
// run (times, rates, ports); normjson replaces them with "X".
var volatile = map[string]bool{"time": true, "seconds": true, "avgBitsPerSec": true, "rateBitsPerSec": true,
	"rttMs": true, "retransmittedBlocks": true, "retransmittedPercent": true, "host": true, "transferId": true,
	"bytesSent": true}

// progressVolatile are also replaced in progress events, whose number and
// contents depend on timing: only the last progress event (sent when the
// session has ended) is kept.
var progressVolatile = map[string]bool{"bytes": true, "filesDone": true, "currentFile": true}

// normjson OUT: write the last command's stdout (NDJSON events) to OUT with
// volatile fields replaced, for cmp against a golden file.
func cmdNormJSON(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: normjson OUT")
	}
	out, err := normalizeEvents(strings.ReplaceAll(ts.ReadFile("stdout"), ts.Getenv("WORK"), "$WORK"))
	if err != nil {
		ts.Fatalf("normjson: %v", err)
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), out, 0o644))
}

func normalizeEvents(s string) ([]byte, error) {
	var events []map[string]any
	lastProgress := -1
	for _, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			return nil, fmt.Errorf("%q: %v", line, err)
		}
		if m["event"] == "progress" {
			lastProgress = len(events)
		}
		events = append(events, m)
	}
	var buf bytes.Buffer
	for i, m := range events {
		progress := m["event"] == "progress"
		if progress && i != lastProgress {
			continue
		}
		for k := range m {
			if volatile[k] || progress && progressVolatile[k] {
				m[k] = "X"
			}
		}
		b, err := json.Marshal(m)
		if err != nil {
			return nil, err
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	return buf.Bytes(), nil
}

// jsonfield EVENT FIELD OP N: the numeric FIELD of the last EVENT in the
// last command's stdout compares with N (OP is <, <=, ==, >=, >).
func cmdJSONField(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 4 {
		ts.Fatalf("usage: jsonfield EVENT FIELD OP N")
	}
	var last map[string]any
	for _, line := range strings.Split(ts.ReadFile("stdout"), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil && m["event"] == args[0] {
			last = m
		}
	}
	if last == nil {
		ts.Fatalf("no %q event in stdout", args[0])
	}
	got, ok := last[args[1]].(float64)
	if !ok {
		ts.Fatalf("%s event has no numeric %q: %v", args[0], args[1], last)
	}
	want, err := strconv.ParseFloat(args[3], 64)
	ts.Check(err)
	if !compare(ts, got, args[2], want) {
		ts.Fatalf("%s.%s = %v, want %s %v", args[0], args[1], got, args[2], want)
	}
}

func compare(ts *testscript.TestScript, a float64, op string, b float64) bool {
	res, ok := map[string]bool{"<": a < b, "<=": a <= b, "==": a == b, ">=": a >= b, ">": a > b}[op]
	if !ok {
		ts.Fatalf("unknown operator %q", op)
	}
	return res
}
