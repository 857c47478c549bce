package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// Event is one entry of the event log.
type Event struct {
	Seq       uint64         // 1, 2, 3, ... in append order; never reused
	Owner     string         // user the event belongs to; "" = the server
	Name      string         // event name, e.g. "transferUpdated"
	Timestamp int64          // Unix microseconds
	Fields    map[string]any // event-specific keys; read back, numbers are json.Number
}

// EventFilter selects events. The zero value selects every event.
type EventFilter struct {
	Name     string // only events with this name; "" = any
	Before   *int64 // only Timestamp < *Before
	After    *int64 // only Timestamp > *After
	Limit    int    // at most this many (the newest ones); 0 = no limit
	Owner    string // only events of this owner; "" = all owners
	AfterSeq uint64 // only Seq > AfterSeq (resume after the last seen entry)
}

// maxEventName bounds event names.
const maxEventName = 128

// AppendEvent adds one event and returns it with its sequence number once it
// is committed to disk. Concurrent calls share transactions (group commit).
// Fields must be JSON-encodable; Fields of the result is the map passed in.
func (s *Store) AppendEvent(owner, name string, ts int64, fields map[string]any) (Event, error) {
	if name == "" {
		return Event{}, errors.New("store: event without a name")
	}
	if len(name) > maxEventName {
		return Event{}, fmt.Errorf("store: event name longer than %d bytes", maxEventName)
	}
	raw, err := encodeEvent(owner, name, ts, fields)
	if err != nil {
		return Event{}, err
	}
	r := &appendReq{ev: Event{Owner: owner, Name: name, Timestamp: ts, Fields: fields}, raw: raw}
	return s.ap.append(s, r)
}

// Events returns the events that match f, oldest (lowest Seq) first. With a
// Limit, it returns the newest Limit matching events, still oldest first, as
// the product's getEventLog does for "the last N entries".
func (s *Store) Events(f EventFilter) ([]Event, error) {
	if f.Limit < 0 {
		return nil, fmt.Errorf("store: negative event limit %d", f.Limit)
	}
	var out []Event
	err := s.View(func(tx *Tx) error {
		b := tx.tx.Bucket([]byte(eventsBucket))
		var seqs []uint64
		if f.Before != nil || f.After != nil {
			seqs = seqsInTimeRange(tx.tx.Bucket([]byte(eventTimesBucket)), f)
		}
		var err error
		out, err = collectEvents(b, f, seqs)
		return err
	})
	return out, err
}

// seqsInTimeRange uses the time index to find, in Seq order, the events whose
// timestamps lie strictly between After and Before.
func seqsInTimeRange(idx *bolt.Bucket, f EventFilter) []uint64 {
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if f.After != nil {
		if *f.After == math.MaxInt64 {
			return []uint64{}
		}
		lo = *f.After + 1
	}
	if f.Before != nil {
		if *f.Before == math.MinInt64 {
			return []uint64{}
		}
		hi = *f.Before - 1
	}
	seqs := []uint64{}
	if lo > hi {
		return seqs
	}
	end := timeKey(hi, math.MaxUint64)
	c := idx.Cursor()
	for k, _ := c.Seek(timeKey(lo, 0)); k != nil && bytes.Compare(k, end) <= 0; k, _ = c.Next() {
		if len(k) != 16 {
			continue
		}
		if seq := binary.BigEndian.Uint64(k[8:]); seq > f.AfterSeq {
			seqs = append(seqs, seq)
		}
	}
	slices.Sort(seqs)
	return seqs
}

// collectEvents walks the events bucket (or only the given seqs when not nil)
// forwards, or backwards when a Limit asks for the newest entries.
func collectEvents(b *bolt.Bucket, f EventFilter, seqs []uint64) ([]Event, error) {
	var out []Event
	keep := func(k, v []byte) (bool, error) {
		ev, err := decodeEvent(k, v)
		if err != nil {
			return false, err
		}
		if (f.Name != "" && ev.Name != f.Name) || (f.Owner != "" && ev.Owner != f.Owner) || ev.Seq <= f.AfterSeq {
			return false, nil
		}
		out = append(out, ev)
		return f.Limit > 0 && len(out) >= f.Limit, nil
	}
	backwards := f.Limit > 0
	if seqs != nil {
		for i := range seqs {
			seq := seqs[i]
			if backwards {
				seq = seqs[len(seqs)-1-i]
			}
			k := seqKey(seq)
			v := b.Get(k)
			if v == nil {
				continue
			}
			if done, err := keep(k, v); err != nil || done {
				if err != nil {
					return nil, err
				}
				break
			}
		}
	} else {
		c := b.Cursor()
		var k, v []byte
		if backwards {
			k, v = c.Last()
		} else {
			k, v = c.Seek(seqKey(f.AfterSeq + 1))
		}
		for ; k != nil; k, v = step(c, backwards) {
			if backwards && binary.BigEndian.Uint64(k) <= f.AfterSeq {
				break
			}
			done, err := keep(k, v)
			if err != nil {
				return nil, err
			}
			if done {
				break
			}
		}
	}
	if backwards {
		slices.Reverse(out)
	}
	return out, nil
}

func step(c *bolt.Cursor, backwards bool) ([]byte, []byte) {
	if backwards {
		return c.Prev()
	}
	return c.Next()
}

// pruneChunk bounds the size of one pruning transaction.
const pruneChunk = 4096

// PruneEvents deletes every event with Timestamp < olderThan and returns how
// many it deleted. It works in several small transactions so that it never
// holds the writer lock for long; sequence numbers are never reused.
func (s *Store) PruneEvents(olderThan int64) (int, error) {
	total := 0
	for {
		n := 0
		err := s.Update(func(tx *Tx) error {
			events := tx.tx.Bucket([]byte(eventsBucket))
			idx := tx.tx.Bucket([]byte(eventTimesBucket))
			var keys [][]byte
			c := idx.Cursor()
			for k, _ := c.First(); k != nil && len(keys) < pruneChunk; k, _ = c.Next() {
				if len(k) != 16 || timeOf(k) >= olderThan {
					break
				}
				keys = append(keys, append([]byte(nil), k...))
			}
			for _, k := range keys {
				if err := idx.Delete(k); err != nil {
					return err
				}
				if err := events.Delete(k[8:]); err != nil {
					return err
				}
			}
			n = len(keys)
			return nil
		})
		total += n
		if err != nil {
			return total, fmt.Errorf("store: prune events: %w", err)
		}
		if n < pruneChunk {
			return total, nil
		}
	}
}
