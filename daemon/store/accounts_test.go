package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/bcrypt"
)

var testEpoch = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func testAccounts(t *testing.T) accountDB {
	t.Helper()
	// Cheap hashes: these tests are about the database, not the hashing.
	return accountDB{dir: filepath.Join(t.TempDir(), "state"), timeout: 5 * time.Second,
		now: func() time.Time { return testEpoch }, cost: argonCost{memory: 64, time: 1}}
}

func TestAccountLifecycle(t *testing.T) {
	a := testAccounts(t)
	if accts, err := a.list(); err != nil || len(accts) != 0 {
		t.Fatalf("list before any account: %v, %v", accts, err)
	}
	if _, found, err := a.verify("alice", "pw"); found || err != nil {
		t.Fatalf("verify before any account: %v, %v", found, err)
	}
	if _, err := os.Stat(a.path()); !os.IsNotExist(err) {
		t.Fatalf("reading created %s", a.path())
	}
	if err := a.add("bob", "bob-pw", false); err != nil {
		t.Fatal(err)
	}
	if err := a.add("alice", "alice-pw", true); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(a.path()); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("users.db mode: %v %v", fi.Mode(), err)
	}
	if err := a.add("alice", "other", false); !errors.Is(err, ErrAccountExists) {
		t.Errorf("duplicate add: %v", err)
	}
	want := []Account{
		{Name: "alice", Superuser: true, Created: testEpoch.UnixMicro()},
		{Name: "bob", Created: testEpoch.UnixMicro()},
	}
	if got, err := a.list(); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("list = %+v, %v\nwant %+v", got, err, want)
	}
	for _, tc := range []struct {
		name, pw  string
		found, ok bool
	}{
		{"alice", "alice-pw", true, true},
		{"alice", "bob-pw", true, false},
		{"alice", "", true, false},
		{"bob", "bob-pw", true, true},
		{"carol", "alice-pw", false, false},
		{"", "x", false, false},
	} {
		acct, found, err := a.verify(tc.name, tc.pw)
		ok := err == nil && found
		if found != tc.found || ok != tc.ok || (!tc.ok && tc.found && !errors.Is(err, ErrWrongPassword)) {
			t.Errorf("verify(%q, %q) = %+v, %v, %v; want found=%v ok=%v", tc.name, tc.pw, acct, found, err, tc.found, tc.ok)
		}
		if ok && (acct.Name != tc.name || acct.Hash != "") {
			t.Errorf("verify(%q) returned %+v", tc.name, acct)
		}
		if tc.found && !ok && acct != (Account{}) {
			t.Errorf("failed verify returned %+v", acct)
		}
	}
	if err := a.setPassword("bob", "new-pw"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.verify("bob", "bob-pw"); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("old password after passwd: %v", err)
	}
	if acct, _, err := a.verify("bob", "new-pw"); err != nil || acct.Created != testEpoch.UnixMicro() || acct.Superuser {
		t.Errorf("new password: %+v %v", acct, err)
	}
	if err := a.setPassword("carol", "x"); !errors.Is(err, ErrAccountNotFound) {
		t.Errorf("passwd of unknown: %v", err)
	}
	if err := a.setPassword("bob", ""); !errors.Is(err, ErrInvalidPassword) {
		t.Errorf("passwd to empty: %v", err)
	}
	if err := a.remove("bob"); err != nil {
		t.Fatal(err)
	}
	if err := a.remove("bob"); !errors.Is(err, ErrAccountNotFound) {
		t.Errorf("second delete: %v", err)
	}
	if _, found, _ := a.verify("bob", "new-pw"); found {
		t.Error("deleted account still verifies")
	}
	if got, _ := a.list(); len(got) != 1 || got[0].Name != "alice" {
		t.Errorf("after delete: %+v", got)
	}
}

func TestAddAccountRefuses(t *testing.T) {
	a := testAccounts(t)
	for _, tc := range []struct {
		name, pw string
		want     error
	}{
		{"Alice", "pw", ErrInvalidName},
		{"", "pw", ErrInvalidName},
		{"root", "pw", ErrInvalidName},
		{"al:ice", "pw", ErrInvalidName},
		{"alice", "", ErrInvalidPassword},
		{"alice", "a\x00b", ErrInvalidPassword},
	} {
		if err := a.add(tc.name, tc.pw, false); !errors.Is(err, tc.want) {
			t.Errorf("add(%q, %q) = %v, want %v", tc.name, tc.pw, err, tc.want)
		}
	}
	if _, err := os.Stat(a.path()); !os.IsNotExist(err) {
		t.Errorf("refused adds created %s", a.path())
	}
	if _, err := (accountDB{timeout: time.Second, now: time.Now, cost: defaultCost}).list(); err == nil {
		t.Error("empty dir accepted")
	}
}

func TestPackageFunctions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	if has, err := HasAccounts(dir); has || err != nil {
		t.Fatalf("HasAccounts on a missing dir = %v, %v", has, err)
	}
	if err := AddAccount(dir, "alice", "pw1", true); err != nil {
		t.Fatal(err)
	}
	if has, err := HasAccounts(dir); !has || err != nil {
		t.Fatalf("HasAccounts = %v, %v", has, err)
	}
	if err := SetPassword(dir, "alice", "pw2"); err != nil {
		t.Fatal(err)
	}
	if acct, found, err := VerifyAccount(dir, "alice", "pw2"); !found || err != nil || !acct.Superuser {
		t.Fatalf("VerifyAccount = %+v %v %v", acct, found, err)
	}
	if accts, err := ListAccounts(dir); err != nil || len(accts) != 1 || time.Since(time.UnixMicro(accts[0].Created)) > time.Hour {
		t.Fatalf("ListAccounts = %+v, %v", accts, err)
	}
	if err := DeleteAccount(dir, "alice"); err != nil {
		t.Fatal(err)
	}
	if has, _ := HasAccounts(dir); has {
		t.Error("HasAccounts after delete")
	}
}

func TestVerifyBcryptAndCorruptRecords(t *testing.T) {
	a := testAccounts(t)
	if err := a.add("alice", "pw", false); err != nil {
		t.Fatal(err)
	}
	legacy, _ := bcrypt.GenerateFromPassword([]byte("legacy-pw"), bcrypt.MinCost)
	err := a.update(func(b *bolt.Bucket) error {
		if err := putAccount(b, Account{Name: "old", Hash: string(legacy)}); err != nil {
			return err
		}
		if err := putAccount(b, Account{Name: "badhash", Hash: "$argon2id$v=19$garbage"}); err != nil {
			return err
		}
		return b.Put([]byte("notjson"), []byte("{"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, found, err := a.verify("old", "legacy-pw"); !found || err != nil {
		t.Errorf("bcrypt account: %v %v", found, err)
	}
	if _, found, err := a.verify("old", "nope"); !found || !errors.Is(err, ErrWrongPassword) {
		t.Errorf("bcrypt wrong password: %v %v", found, err)
	}
	if _, found, err := a.verify("badhash", "pw"); !found || err == nil || errors.Is(err, ErrWrongPassword) {
		t.Errorf("bad hash: %v %v", found, err)
	}
	if _, _, err := a.verify("notjson", "pw"); err == nil || !strings.Contains(err.Error(), `account "notjson"`) {
		t.Errorf("corrupt record: %v", err)
	}
	if _, err := a.list(); err == nil {
		t.Error("list with a corrupt record succeeded")
	}
}

// holdLock opens users.db the way the daemon (read-only, shared lock) or
// the CLI (read-write, exclusive lock) does and keeps it open.
func holdLock(t *testing.T, a accountDB, readOnly bool) *bolt.DB {
	t.Helper()
	db, err := bolt.Open(a.path(), 0o600, &bolt.Options{Timeout: time.Second, ReadOnly: readOnly})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestAccountsWhileLocked(t *testing.T) {
	a := testAccounts(t)
	if err := a.add("alice", "pw", false); err != nil {
		t.Fatal(err)
	}
	short := a
	short.timeout = 50 * time.Millisecond

	// A login in progress (shared lock): other logins go ahead, a change
	// waits and gives up with a clear error after its timeout...
	reader := holdLock(t, a, true)
	if _, found, err := short.verify("alice", "pw"); !found || err != nil {
		t.Errorf("verify beside another reader: %v %v", found, err)
	}
	err := short.add("bob", "pw", false)
	if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), a.path()) {
		t.Errorf("add while a reader holds the lock: %v, want ErrBusy naming %s", err, a.path())
	}
	// ...or succeeds once the reader lets go.
	done := make(chan error, 1)
	go func() { done <- a.add("bob", "pw", false) }()
	reader.Close()
	if err := <-done; err != nil {
		t.Fatalf("add after the reader closed: %v", err)
	}

	// A change in progress (exclusive lock) makes a login wait likewise.
	writer := holdLock(t, a, false)
	if _, _, err := short.verify("bob", "pw"); !errors.Is(err, ErrBusy) {
		t.Errorf("verify while a writer holds the lock: %v", err)
	}
	go func() { _, _, err := a.verify("bob", "pw"); done <- err }()
	writer.Close()
	if err := <-done; err != nil {
		t.Fatalf("verify after the writer closed: %v", err)
	}
}

func TestAccountsConcurrentUse(t *testing.T) {
	a := testAccounts(t)
	if err := a.add("alice", "pw", false); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Go(func() {
			if err := a.add(fmt.Sprintf("user%d", i), "pw", false); err != nil {
				t.Error(err)
			}
		})
		wg.Go(func() {
			if _, found, err := a.verify("alice", "pw"); !found || err != nil {
				t.Errorf("verify during writes: %v %v", found, err)
			}
		})
		wg.Go(func() {
			if _, err := a.list(); err != nil {
				t.Errorf("list during writes: %v", err)
			}
		})
	}
	wg.Wait()
	got, err := a.list()
	if err != nil || len(got) != 4 {
		t.Fatalf("after concurrent adds: %+v %v", got, err)
	}
}
