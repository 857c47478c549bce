package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestConfigFromFlags(t *testing.T) {
	c := CLI{Link: "delay=10ms", B2A: "delay=20ms,loss=1%", MaxInFlight: 10, Seed: 5}
	cfg, err := c.config()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.AtoB.Delay != 10*time.Millisecond || cfg.BtoA.Delay != 20*time.Millisecond || cfg.BtoA.Loss != 0.01 || cfg.AtoB.Loss != 0 {
		t.Fatalf("cfg = %+v", cfg)
	}
	if cfg.Seed != 5 || cfg.MaxInFlight != 10 {
		t.Fatalf("cfg = %+v", cfg)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		cli  CLI
		want string
	}{
		{CLI{A2B: "loss=2", MaxInFlight: 1}, "a→b"},
		{CLI{B2A: "bogus=1", MaxInFlight: 1}, "b→a"},
		{CLI{MaxInFlight: 0}, "--max-in-flight"},
		{CLI{MaxInFlight: 1, SeriesFile: "x", SeriesInterval: time.Millisecond}, "--series-interval"},
		{CLI{MaxInFlight: 1, Duration: -time.Second}, "--duration"},
	}
	for _, tt := range tests {
		if _, err := tt.cli.config(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("config(%+v) = %v, want %q", tt.cli, err, tt.want)
		}
	}
}

func TestOpenSideErrors(t *testing.T) {
	if _, err := openSide("a", 3, "tun0", "", true); err == nil || !strings.Contains(err.Error(), "not both") {
		t.Errorf("fd and dev: %v", err)
	}
	if _, err := openSide("b", -1, "", "", true); err == nil || !strings.Contains(err.Error(), "required") {
		t.Errorf("neither: %v", err)
	}
	// A descriptor that is not a TUN device is refused with a clear error.
	if _, err := openSide("a", 0, "", "", true); err == nil || !strings.Contains(err.Error(), "not an attached TUN device") {
		t.Errorf("stdin as TUN: %v", err)
	}
}

func TestRunExitCodes(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"--help"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "--a2b") {
		t.Errorf("--help: code %d, out %q", code, out.String())
	}
	errb.Reset()
	if code := run([]string{"--no-such-flag"}, &out, &errb); code != 2 {
		t.Errorf("unknown flag: code %d", code)
	}
	errb.Reset()
	if code := run([]string{"--link", "loss=200%"}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "outside [0, 1]") {
		t.Errorf("bad spec: code %d, stderr %q", code, errb.String())
	}
}
