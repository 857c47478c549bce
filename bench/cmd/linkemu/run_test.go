package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/jetstream-go/jetstream/bench/linkemu"
	"github.com/jetstream-go/jetstream/bench/netns"
)

// lockedBuffer is a bytes.Buffer safe for the Run goroutine and the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestRunOnInheritedTUNs runs the command on descriptors of a real pair,
// asks for stats with SIGUSR1 and checks the stats file at exit (root).
func TestRunOnInheritedTUNs(t *testing.T) {
	if netns.RequireRoot() != nil {
		t.Skip("skip: needs root")
	}
	ctx := context.Background()
	p, err := netns.NewPair(ctx, netns.PairConfig{Suffix: fmt.Sprintf("c%d", os.Getpid()), Offload: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(ctx)
	fdA, err := unix.Dup(int(p.TunA.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	fdB, err := unix.Dup(int(p.TunB.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cli := CLI{AFD: fdA, BFD: fdB, Link: "delay=1ms,loss=0", A2B: "delay=2ms", MaxInFlight: 100, Seed: 1,
		StatsFile: filepath.Join(dir, "stats.json"), SeriesFile: filepath.Join(dir, "series.ndjson"), SeriesInterval: 20 * time.Millisecond}
	var out lockedBuffer
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- cli.Run(rctx, &out) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := os.Stat(cli.StatsFile); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no stats file at start")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	for !strings.Contains(out.String(), `"a_to_b"`) {
		if time.Now().After(deadline) {
			t.Fatal("SIGUSR1 printed nothing")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(cli.StatsFile)
	if err != nil {
		t.Fatal(err)
	}
	s, err := linkemu.ParseStats(b)
	if err != nil {
		t.Fatal(err)
	}
	if s.ConfigAB != "delay=2ms" || s.ConfigBA != "delay=1ms" || s.ElapsedS <= 0 {
		t.Fatalf("final stats %+v", s)
	}
	if n := strings.Count(out.String(), `"a_to_b"`); n != 2 { // SIGUSR1 and exit
		t.Fatalf("printed %d stats documents, want 2", n)
	}
	if series, err := os.ReadFile(cli.SeriesFile); err != nil || len(series) == 0 {
		t.Fatalf("series file: %v", err)
	}
}
