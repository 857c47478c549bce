package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// maxBucketName bounds bucket names; keys are bounded by bbolt's own limit.
const maxBucketName = 255

// Tx is one transaction of Update or View. Its methods behave like the
// Store's; a Tx must not be used after its function returns.
type Tx struct {
	tx *bolt.Tx
}

// Update runs fn in one read-write transaction: all of its writes commit
// together (and are fsynced) when fn returns nil, none when it returns an
// error. fn must not call the Store's own methods.
func (s *Store) Update(fn func(tx *Tx) error) error {
	return wrapErr(s.db.Update(func(btx *bolt.Tx) error { return fn(&Tx{tx: btx}) }))
}

// View runs fn in one read-only transaction with a consistent snapshot.
// Put and Delete fail inside it.
func (s *Store) View(fn func(tx *Tx) error) error {
	return wrapErr(s.db.View(func(btx *bolt.Tx) error { return fn(&Tx{tx: btx}) }))
}

// Get decodes the JSON record bucket/key into v. It reports false (and
// leaves v alone) when there is no such record.
func (s *Store) Get(bucket, key string, v any) (found bool, err error) {
	err = s.View(func(tx *Tx) error {
		found, err = tx.Get(bucket, key, v)
		return err
	})
	return found, err
}

// Put stores v, encoded as JSON, as bucket/key, creating the bucket on demand.
func (s *Store) Put(bucket, key string, v any) error {
	return s.Update(func(tx *Tx) error { return tx.Put(bucket, key, v) })
}

// Delete removes bucket/key and reports whether it existed.
func (s *Store) Delete(bucket, key string) (existed bool, err error) {
	err = s.Update(func(tx *Tx) error {
		existed, err = tx.Delete(bucket, key)
		return err
	})
	return existed, err
}

// ForEach calls fn for every record of bucket in key order, with a copy of
// its JSON. A missing bucket has no records. An error from fn stops the walk
// and is returned. The records are read in one consistent snapshot and fn is
// called after that transaction ended, so fn may use the Store.
func (s *Store) ForEach(bucket string, fn func(key string, raw json.RawMessage) error) error {
	var recs []record
	err := s.View(func(tx *Tx) error {
		var err error
		recs, err = tx.records(bucket)
		return err
	})
	if err != nil {
		return err
	}
	for _, r := range recs {
		if err := fn(r.key, r.raw); err != nil {
			return err
		}
	}
	return nil
}

// Get is Store.Get inside the transaction.
func (t *Tx) Get(bucket, key string, v any) (bool, error) {
	if err := checkName(bucket, key); err != nil {
		return false, err
	}
	b := t.tx.Bucket([]byte(bucket))
	if b == nil {
		return false, nil
	}
	raw := b.Get([]byte(key))
	if raw == nil {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return true, fmt.Errorf("store: decode %s/%s: %w", bucket, key, err)
	}
	return true, nil
}

// Put is Store.Put inside the transaction.
func (t *Tx) Put(bucket, key string, v any) error {
	if err := checkName(bucket, key); err != nil {
		return err
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: encode %s/%s: %w", bucket, key, err)
	}
	b, err := t.tx.CreateBucketIfNotExists([]byte(bucket))
	if err != nil {
		return fmt.Errorf("store: bucket %s: %w", bucket, err)
	}
	if err := b.Put([]byte(key), raw); err != nil {
		return fmt.Errorf("store: put %s/%s: %w", bucket, key, err)
	}
	return nil
}

// Delete is Store.Delete inside the transaction.
func (t *Tx) Delete(bucket, key string) (bool, error) {
	if err := checkName(bucket, key); err != nil {
		return false, err
	}
	b := t.tx.Bucket([]byte(bucket))
	if b == nil || b.Get([]byte(key)) == nil {
		return false, nil
	}
	if err := b.Delete([]byte(key)); err != nil {
		return false, fmt.Errorf("store: delete %s/%s: %w", bucket, key, err)
	}
	return true, nil
}

// ForEach is Store.ForEach inside the transaction. fn may write through the
// Tx: it is called on a copy of the bucket taken before the first call.
func (t *Tx) ForEach(bucket string, fn func(key string, raw json.RawMessage) error) error {
	recs, err := t.records(bucket)
	if err != nil {
		return err
	}
	for _, r := range recs {
		if err := fn(r.key, r.raw); err != nil {
			return err
		}
	}
	return nil
}

type record struct {
	key string
	raw json.RawMessage
}

// records copies every record of bucket (bbolt's slices die with the tx).
func (t *Tx) records(bucket string) ([]record, error) {
	if err := checkBucket(bucket); err != nil {
		return nil, err
	}
	b := t.tx.Bucket([]byte(bucket))
	if b == nil {
		return nil, nil
	}
	var recs []record
	err := b.ForEach(func(k, v []byte) error {
		if v == nil {
			return nil // nested bucket: not ours
		}
		recs = append(recs, record{key: string(k), raw: append(json.RawMessage(nil), v...)})
		return nil
	})
	return recs, err
}

func checkBucket(bucket string) error {
	switch {
	case bucket == "":
		return errors.New("store: empty bucket name")
	case len(bucket) > maxBucketName:
		return fmt.Errorf("store: bucket name longer than %d bytes", maxBucketName)
	case strings.HasPrefix(bucket, "_"):
		return fmt.Errorf("store: bucket name %q is reserved (leading \"_\")", bucket)
	}
	return nil
}

func checkName(bucket, key string) error {
	if err := checkBucket(bucket); err != nil {
		return err
	}
	switch {
	case key == "":
		return fmt.Errorf("store: empty key in bucket %s", bucket)
	case len(key) > bolt.MaxKeySize:
		return fmt.Errorf("store: key in bucket %s longer than %d bytes", bucket, bolt.MaxKeySize)
	}
	return nil
}
