package store

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

type destination struct {
	Host string `json:"host"`
	Port int    `json:"port"`
}

func TestRecords(t *testing.T) {
	s, _ := openTemp(t)
	a, b := destination{"a.example", 8886}, destination{"b.example", 9000}
	if err := s.Put("destinations", "a", a); err != nil {
		t.Fatal(err)
	}
	if err := s.Put("destinations", "b", b); err != nil {
		t.Fatal(err)
	}
	var got destination
	if ok, err := s.Get("destinations", "a", &got); !ok || err != nil || got != a {
		t.Fatalf("Get a = %v %v %+v", ok, err, got)
	}
	// Overwrite.
	a.Port = 1
	if err := s.Put("destinations", "a", a); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("destinations", "a", &got); err != nil || got.Port != 1 {
		t.Fatalf("after overwrite: %+v %v", got, err)
	}
	for _, tc := range []struct{ bucket, key string }{{"destinations", "zzz"}, {"nosuchbucket", "a"}} {
		got = destination{Host: "untouched"}
		ok, err := s.Get(tc.bucket, tc.key, &got)
		if ok || err != nil || got.Host != "untouched" {
			t.Errorf("Get(%s,%s) = %v %v %+v; want false, nil, untouched", tc.bucket, tc.key, ok, err, got)
		}
	}
	var keys []string
	err := s.ForEach("destinations", func(k string, raw json.RawMessage) error {
		var d destination
		if err := json.Unmarshal(raw, &d); err != nil {
			return err
		}
		keys = append(keys, k+"="+d.Host)
		// The callback may write: ForEach runs it outside the transaction.
		return s.Put("seen", k, true)
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a=a.example", "b=b.example"}; !reflect.DeepEqual(keys, want) {
		t.Errorf("ForEach keys %v, want %v", keys, want)
	}
	stop := errors.New("stop")
	n := 0
	if err := s.ForEach("destinations", func(string, json.RawMessage) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("ForEach stop: err %v after %d calls", err, n)
	}
	if err := s.ForEach("nosuchbucket", func(string, json.RawMessage) error { t.Error("called"); return nil }); err != nil {
		t.Error(err)
	}
	for _, tc := range []struct {
		key  string
		want bool
	}{{"a", true}, {"a", false}, {"never", false}} {
		if ok, err := s.Delete("destinations", tc.key); ok != tc.want || err != nil {
			t.Errorf("Delete(%s) = %v, %v; want %v", tc.key, ok, err, tc.want)
		}
	}
	if ok, err := s.Delete("nosuchbucket", "a"); ok || err != nil {
		t.Errorf("Delete from missing bucket = %v, %v", ok, err)
	}
}

func TestRecordErrors(t *testing.T) {
	s, _ := openTemp(t)
	if err := s.Put("settings", "bad", "not a number"); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("k", 40000)
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"empty bucket", s.Put("", "k", 1), "empty bucket name"},
		{"reserved bucket", s.Put("_events", "k", 1), "reserved"},
		{"long bucket", s.Put(strings.Repeat("b", 300), "k", 1), "bucket name longer"},
		{"empty key", s.Put("settings", "", 1), "empty key"},
		{"long key", s.Put("settings", long, 1), "longer than 32768"},
		{"unencodable", s.Put("settings", "ch", make(chan int)), "encode settings/ch"},
		{"decode", func() error { var n int; _, err := s.Get("settings", "bad", &n); return err }(), "decode settings/bad"},
		{"get reserved", func() error { var n int; _, err := s.Get("_meta", "schema", &n); return err }(), "reserved"},
		{"delete reserved", func() error { _, err := s.Delete("_events", "x"); return err }(), "reserved"},
		{"foreach reserved", s.ForEach("_events", func(string, json.RawMessage) error { return nil }), "reserved"},
		{"put in view", s.View(func(tx *Tx) error { return tx.Put("settings", "x", 1) }), "not writable"},
	}
	for _, tc := range tests {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%s: err %v, want it to contain %q", tc.name, tc.err, tc.want)
		}
	}
}

func TestUpdateIsAtomic(t *testing.T) {
	s, _ := openTemp(t)
	boom := errors.New("boom")
	err := s.Update(func(tx *Tx) error {
		if err := tx.Put("transfers", "t1", 1); err != nil {
			return err
		}
		if err := tx.Put("manifests", "m1", 1); err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Fatalf("Update = %v, want boom", err)
	}
	for _, b := range []string{"transfers", "manifests"} {
		if ok, _ := s.Get(b, "t1", new(int)); ok {
			t.Errorf("%s written by a failed Update", b)
		}
	}
	err = s.Update(func(tx *Tx) error {
		for _, k := range []string{"a", "b", "c"} {
			if err := tx.Put("transfers", k, k); err != nil {
				return err
			}
		}
		// Tx.ForEach hands out a copy, so deleting while walking is fine.
		return tx.ForEach("transfers", func(k string, raw json.RawMessage) error {
			if k == "b" {
				_, err := tx.Delete("transfers", k)
				return err
			}
			var v string
			found, err := tx.Get("transfers", k, &v)
			if !found || v != k {
				t.Errorf("Tx.Get(%s) = %v %q %v", k, found, v, err)
			}
			return err
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	s.ForEach("transfers", func(k string, _ json.RawMessage) error { keys = append(keys, k); return nil })
	if !reflect.DeepEqual(keys, []string{"a", "c"}) {
		t.Errorf("keys after Update = %v, want [a c]", keys)
	}
}
