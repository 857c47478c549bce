package store

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const crashDirEnv = "JETSTREAM_STORE_CRASH_DIR"

// TestCrashHelper is the writer process of TestSurvivesKill9; it does
// nothing in a normal test run. Four goroutines append events and put
// records; after both writes of step i returned, it prints
// "ack <round> <goroutine> <i> <seq>".
func TestCrashHelper(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("helper process for TestSurvivesKill9")
	}
	round := os.Getenv("JETSTREAM_STORE_CRASH_ROUND")
	s, err := Open(dir)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(3)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 20000 { // bounded: the parent kills us long before
				owner := fmt.Sprintf("r%s-g%d", round, g)
				ev, err := s.AppendEvent(owner, "crash", int64(i), map[string]any{"i": i, "pad": strings.Repeat("x", 200)})
				if err != nil {
					fmt.Println("append:", err)
					os.Exit(3)
				}
				if err := s.Put("crash", fmt.Sprintf("%s-%06d", owner, i), ev.Seq); err != nil {
					fmt.Println("put:", err)
					os.Exit(3)
				}
				mu.Lock()
				fmt.Printf("ack %s %d %d %d\n", round, g, i, ev.Seq)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	os.Exit(0)
}

type ack struct {
	owner string
	i     int64
	seq   uint64
}

// TestSurvivesKill9 kills a writer process with SIGKILL in the middle of a
// stream of writes, three times over, and checks after each kill that every
// acknowledged write is there and that the file is consistent.
func TestSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns writer processes")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var acks []ack
	for round := range 3 {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		cmd := exec.CommandContext(ctx, exe, "-test.run=^TestCrashHelper$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashDirEnv+"="+dir, "JETSTREAM_STORE_CRASH_ROUND="+strconv.Itoa(round))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		n, killed := 0, false
		for sc.Scan() {
			var r, g int
			var a ack
			if _, err := fmt.Sscanf(sc.Text(), "ack %d %d %d %d", &r, &g, &a.i, &a.seq); err != nil {
				t.Errorf("helper said %q", sc.Text())
				continue
			}
			a.owner = fmt.Sprintf("r%d-g%d", r, g)
			acks = append(acks, a)
			// Kill at a different point each round; lines already written
			// after the kill are acknowledged writes too.
			if n++; n == 150+100*round && !killed {
				if err := cmd.Process.Kill(); err != nil {
					t.Fatal(err)
				}
				killed = true
			}
		}
		err = cmd.Wait()
		cancel()
		if !killed {
			t.Fatalf("round %d: helper ended before the kill after %d acks: %v", round, n, err)
		}
		verifyAcks(t, dir, acks)
	}
}

func verifyAcks(t *testing.T, dir string, acks []ack) {
	t.Helper()
	s, err := Open(dir)
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer s.Close()
	checkIntegrity(t, s)
	evs, err := s.Events(EventFilter{Name: "crash"})
	if err != nil {
		t.Fatal(err)
	}
	bySeq := make(map[uint64]Event, len(evs))
	for _, ev := range evs {
		bySeq[ev.Seq] = ev
	}
	for _, a := range acks {
		ev, ok := bySeq[a.seq]
		if !ok || ev.Owner != a.owner || ev.Timestamp != a.i || ev.Fields["i"] != json.Number(strconv.FormatInt(a.i, 10)) {
			t.Fatalf("acknowledged event %+v missing or wrong: %+v", a, ev)
		}
		var seq uint64
		if found, err := s.Get("crash", fmt.Sprintf("%s-%06d", a.owner, a.i), &seq); !found || err != nil || seq != a.seq {
			t.Fatalf("acknowledged record %+v: found %v, seq %d, %v", a, found, seq, err)
		}
	}
	t.Logf("%d acknowledged writes intact, %d events in the log", len(acks), len(evs))
}
