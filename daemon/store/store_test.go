package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "state")
	s, err := Open(dir)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

func TestOpenCreatesPrivateFiles(t *testing.T) {
	s, dir := openTemp(t)
	if s.Dir() != dir {
		t.Errorf("Dir() = %q, want %q", s.Dir(), dir)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, StateFile): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s: mode %v, want %v", path, got, want)
		}
	}
}

func TestOpenRefusesEmptyDir(t *testing.T) {
	if _, err := Open(""); err == nil || !strings.Contains(err.Error(), "no state directory") {
		t.Fatalf("Open(\"\") = %v, want a 'no state directory' error", err)
	}
}

func TestOpenInUse(t *testing.T) {
	_, dir := openTemp(t)
	_, err := open(dir, 50*time.Millisecond)
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("second open: %v, want ErrInUse", err)
	}
	want := fmt.Sprintf("state dir %s is in use by another jetstream server (pid %d)", dir, os.Getpid())
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not contain %q", err, want)
	}
	// Without the pid file the message still names the directory.
	if err := os.Remove(filepath.Join(dir, pidFile)); err != nil {
		t.Fatal(err)
	}
	_, err = open(dir, 50*time.Millisecond)
	if !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), "(pid unknown)") {
		t.Errorf("without pid file: %v", err)
	}
}

func TestCloseReleasesAndIsIdempotent(t *testing.T) {
	s, dir := openTemp(t)
	if err := s.Put("settings", "gc", 1); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, pidFile)); !os.IsNotExist(err) {
		t.Errorf("pid file left behind: %v", err)
	}
	if err := s.Put("settings", "gc", 2); !errors.Is(err, ErrClosed) {
		t.Errorf("Put after Close: %v, want ErrClosed", err)
	}
	if _, err := s.AppendEvent("", "x", 1, nil); !errors.Is(err, ErrClosed) {
		t.Errorf("AppendEvent after Close: %v, want ErrClosed", err)
	}
	s2, err := open(dir, 50*time.Millisecond)
	if err != nil {
		t.Fatalf("reopen after Close: %v", err)
	}
	defer s2.Close()
	var v int
	if ok, err := s2.Get("settings", "gc", &v); !ok || err != nil || v != 1 {
		t.Errorf("after reopen: Get = %v, %v, %d; want true, nil, 1", ok, err, v)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	s, dir := openTemp(t)
	err := s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte(metaBucket)).Put([]byte("schema"), binary.BigEndian.AppendUint64(nil, schemaVersion+1))
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(dir)
	if err == nil || !strings.Contains(err.Error(), "newer jetstream") {
		t.Fatalf("Open = %v, want a 'newer jetstream' error", err)
	}
}

// checkIntegrity runs bbolt's consistency check over the whole file.
func checkIntegrity(t *testing.T, s *Store) {
	t.Helper()
	err := s.db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			t.Errorf("integrity: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
