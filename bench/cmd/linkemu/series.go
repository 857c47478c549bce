package main

import (
	"bufio"
	"encoding/json"
	"os"

	"github.com/jetstream-go/jetstream/bench/linkemu"
)

// seriesWriter appends one compact JSON line of counters per sample.
type seriesWriter struct {
	f *os.File
	w *bufio.Writer
}

func newSeriesWriter(path string) (*seriesWriter, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	return &seriesWriter{f: f, w: bufio.NewWriter(f)}, nil
}

func (s *seriesWriter) Write(st linkemu.Stats) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if _, err := s.w.Write(b); err != nil {
		return err
	}
	return s.w.Flush()
}

func (s *seriesWriter) Close() error { return s.f.Close() }
