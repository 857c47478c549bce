package daemon

import (
	"encoding/json"
	"sort"
	"sync"

	"github.com/jetstream-go/jetstream/daemon/store"
)

// objects is a write-through cache of one store bucket of JSON records.
type objects[T any] struct {
	st     *store.Store
	bucket string
	mu     sync.Mutex
	m      map[string]*T
}

func loadObjects[T any](st *store.Store, bucket string) (*objects[T], error) {
	o := &objects[T]{st: st, bucket: bucket, m: map[string]*T{}}
	err := st.ForEach(bucket, func(key string, raw json.RawMessage) error {
		v := new(T)
		if err := json.Unmarshal(raw, v); err != nil {
			return err
		}
		o.m[key] = v
		return nil
	})
	return o, err
}

// get returns a copy of the record.
func (o *objects[T]) get(id string) (T, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	v, ok := o.m[id]
	if !ok {
		var zero T
		return zero, false
	}
	return *v, true
}

// put stores the record.
func (o *objects[T]) put(id string, v T) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if err := o.st.Put(o.bucket, id, v); err != nil {
		return err
	}
	o.m[id] = &v
	return nil
}

// update applies fn to the stored record atomically with respect to other
// updates; fn returning false skips the write.
func (o *objects[T]) update(id string, fn func(*T) bool) (T, bool, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	v, ok := o.m[id]
	if !ok {
		var zero T
		return zero, false, nil
	}
	cp := *v
	if !fn(&cp) {
		return cp, true, nil
	}
	if err := o.st.Put(o.bucket, id, cp); err != nil {
		return *v, true, err
	}
	*v = cp
	return cp, true, nil
}

func (o *objects[T]) del(id string) (bool, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, ok := o.m[id]; !ok {
		return false, nil
	}
	if _, err := o.st.Delete(o.bucket, id); err != nil {
		return true, err
	}
	delete(o.m, id)
	return true, nil
}

// list returns copies of the records for which keep is true, sorted by id.
func (o *objects[T]) list(keep func(*T) bool) []T {
	o.mu.Lock()
	defer o.mu.Unlock()
	ids := make([]string, 0, len(o.m))
	for id, v := range o.m {
		if keep == nil || keep(v) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	out := make([]T, len(ids))
	for i, id := range ids {
		out[i] = *o.m[id]
	}
	return out
}
