package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// File names inside the state directory.
const (
	StateFile    = "state.db"
	AccountsFile = "users.db"
	pidFile      = "state.pid"
)

// schemaVersion is the layout version of state.db. A store written by a newer
// version is refused rather than misread.
const schemaVersion = 1

// Reserved buckets.
const (
	metaBucket       = "_meta"
	eventsBucket     = "_events"
	eventTimesBucket = "_event_times"
)

// lockTimeout bounds the wait for state.db's exclusive lock.
const lockTimeout = 2 * time.Second

// Store is the daemon's persistent state: one bbolt file <dir>/state.db held
// open by the running daemon. It is safe for concurrent use.
type Store struct {
	dir string
	db  *bolt.DB
	ap  appender

	closeOnce sync.Once
	closeErr  error
}

// Open opens (creating if needed) the store in dir. The directory is created
// with mode 0700. When another process holds the store, Open gives up after
// 2 s with an error wrapping ErrInUse that names the directory and, when
// known, the holder's pid.
func Open(dir string) (*Store, error) {
	return open(dir, lockTimeout)
}

func open(dir string, timeout time.Duration) (*Store, error) {
	if dir == "" {
		return nil, errors.New("store: no state directory given")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: create state dir: %w", err)
	}
	path := filepath.Join(dir, StateFile)
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, inUseError(dir)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s := &Store{dir: dir, db: db}
	if err := db.Update(initSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	// The pid file only improves the "in use" message; failing to write it
	// is not worth refusing to start.
	_ = writePID(filepath.Join(dir, pidFile))
	return s, nil
}

// inUseError builds the ErrInUse error, adding the pid recorded by the
// holder when there is one.
func inUseError(dir string) error {
	b, err := os.ReadFile(filepath.Join(dir, pidFile))
	pid, perr := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || perr != nil || pid <= 0 {
		return fmt.Errorf("state dir %s is in use by another jetstream server (pid unknown): %w", dir, ErrInUse)
	}
	return fmt.Errorf("state dir %s is in use by another jetstream server (pid %d): %w", dir, pid, ErrInUse)
}

func writePID(path string) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// initSchema creates the reserved buckets and checks the layout version.
func initSchema(tx *bolt.Tx) error {
	meta, err := tx.CreateBucketIfNotExists([]byte(metaBucket))
	if err != nil {
		return err
	}
	if v := meta.Get([]byte("schema")); v != nil {
		if len(v) != 8 {
			return errors.New("corrupt schema version")
		}
		if got := binary.BigEndian.Uint64(v); got > schemaVersion {
			return fmt.Errorf("written by a newer jetstream (schema %d, this build reads up to %d)", got, schemaVersion)
		}
	} else if err := meta.Put([]byte("schema"), binary.BigEndian.AppendUint64(nil, schemaVersion)); err != nil {
		return err
	}
	for _, name := range []string{eventsBucket, eventTimesBucket} {
		if _, err := tx.CreateBucketIfNotExists([]byte(name)); err != nil {
			return err
		}
	}
	return nil
}

// Dir is the state directory the store lives in.
func (s *Store) Dir() string { return s.dir }

// Close waits for running transactions, then releases the store. Later calls
// return the first call's result; other methods return ErrClosed.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		// Remove the pid file while still holding the lock so that it can
		// never delete the next holder's file.
		_ = os.Remove(filepath.Join(s.dir, pidFile))
		s.closeErr = s.db.Close()
	})
	return s.closeErr
}

// wrapErr maps bbolt's "not open" error to ErrClosed.
func wrapErr(err error) error {
	if errors.Is(err, berrors.ErrDatabaseNotOpen) {
		return ErrClosed
	}
	return err
}
