package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Account is a built-in account in <dir>/users.db.
type Account struct {
	Name string `json:"name"`
	// Hash is a PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash) for
	// accounts made here; bcrypt ($2a$, $2b$, $2y$) hashes are verified too.
	// ListAccounts and VerifyAccount leave it empty.
	Hash      string `json:"hash,omitempty"`
	Superuser bool   `json:"superuser"`
	Created   int64  `json:"created"` // Unix microseconds
}

const accountsBucket = "accounts"

// accountsLockTimeout bounds the wait for users.db's lock. The daemon holds
// a shared lock only for one login; the CLI an exclusive one for one change.
const accountsLockTimeout = 2 * time.Second

// accountDB is the account database of one state directory. The package
// functions use it with the defaults; tests shorten the timeout and fix the
// clock.
type accountDB struct {
	dir     string
	timeout time.Duration
	now     func() time.Time
	cost    argonCost
}

func accounts(dir string) accountDB {
	return accountDB{dir: dir, timeout: accountsLockTimeout, now: time.Now, cost: newHashCost()}
}

// AddAccount creates a built-in account. It refuses a name that exists or
// breaks the Unix user-name rules (ValidateAccountName), and an empty
// password. It creates dir (0700) and users.db (0600) when needed.
func AddAccount(dir, name, password string, superuser bool) error {
	return accounts(dir).add(name, password, superuser)
}

// SetPassword replaces the password of an existing built-in account.
func SetPassword(dir, name, password string) error {
	return accounts(dir).setPassword(name, password)
}

// DeleteAccount removes a built-in account.
func DeleteAccount(dir, name string) error {
	return accounts(dir).remove(name)
}

// ListAccounts returns the built-in accounts sorted by name, without hashes.
// A missing users.db means no accounts.
func ListAccounts(dir string) ([]Account, error) {
	return accounts(dir).list()
}

// HasAccounts reports whether any built-in account exists.
func HasAccounts(dir string) (bool, error) {
	accts, err := accounts(dir).list()
	return len(accts) > 0, err
}

// VerifyAccount checks name and password against the built-in accounts:
//
//   - no account has that name: found false, err nil;
//   - the password matches: acct (without Hash), found true, err nil;
//   - it does not: found true, err ErrWrongPassword.
//
// Its cost does not depend on whether the name exists or how much of the
// password is right. The database is opened read-only (shared lock).
func VerifyAccount(dir, name, password string) (acct Account, found bool, err error) {
	return accounts(dir).verify(name, password)
}

func (a accountDB) path() string { return filepath.Join(a.dir, AccountsFile) }

// open opens users.db with a lock timeout. A read-only open of a missing or
// empty file returns (nil, nil): there are no accounts yet.
func (a accountDB) open(readOnly bool) (*bolt.DB, error) {
	if a.dir == "" {
		return nil, errors.New("store: no state directory given")
	}
	if readOnly {
		fi, err := os.Stat(a.path())
		if errors.Is(err, fs.ErrNotExist) || err == nil && fi.Size() == 0 {
			return nil, nil
		}
	} else if err := os.MkdirAll(a.dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: create state dir: %w", err)
	}
	created := false
	if !readOnly {
		_, err := os.Stat(a.path())
		created = errors.Is(err, fs.ErrNotExist)
	}
	db, err := bolt.Open(a.path(), 0o600, &bolt.Options{Timeout: a.timeout, ReadOnly: readOnly})
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("%w: %s stayed locked for %v by another process; try again", ErrBusy, a.path(), a.timeout)
	case readOnly && errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("store: open %s: %w", a.path(), err)
	}
	if created {
		if err := matchDirOwner(a.dir, a.path()); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

// update runs fn on the accounts bucket in a read-write transaction.
func (a accountDB) update(fn func(b *bolt.Bucket) error) error {
	db, err := a.open(false)
	if err != nil {
		return err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte(accountsBucket))
		if err != nil {
			return err
		}
		return fn(b)
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return err
}

// view runs fn on the accounts bucket (nil when there is none) read-only.
func (a accountDB) view(fn func(b *bolt.Bucket) error) error {
	db, err := a.open(true)
	if err != nil {
		return err
	}
	if db == nil {
		return fn(nil)
	}
	err = db.View(func(tx *bolt.Tx) error { return fn(tx.Bucket([]byte(accountsBucket))) })
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return err
}

func getAccount(b *bolt.Bucket, name string) (Account, bool, error) {
	if b == nil {
		return Account{}, false, nil
	}
	raw := b.Get([]byte(name))
	if raw == nil {
		return Account{}, false, nil
	}
	var acct Account
	if err := json.Unmarshal(raw, &acct); err != nil {
		return Account{}, true, fmt.Errorf("store: account %q: %w", name, err)
	}
	return acct, true, nil
}

func putAccount(b *bolt.Bucket, acct Account) error {
	raw, err := json.Marshal(acct)
	if err != nil {
		return err
	}
	return b.Put([]byte(acct.Name), raw)
}

func (a accountDB) add(name, password string, superuser bool) error {
	if err := ValidateAccountName(name); err != nil {
		return err
	}
	if err := validatePassword(password); err != nil {
		return err
	}
	hash, err := hashPassword(password, a.cost)
	if err != nil {
		return err
	}
	return a.update(func(b *bolt.Bucket) error {
		if b.Get([]byte(name)) != nil {
			return fmt.Errorf("%w: %q", ErrAccountExists, name)
		}
		return putAccount(b, Account{Name: name, Hash: hash, Superuser: superuser, Created: a.now().UnixMicro()})
	})
}

func (a accountDB) setPassword(name, password string) error {
	if err := validatePassword(password); err != nil {
		return err
	}
	hash, err := hashPassword(password, a.cost)
	if err != nil {
		return err
	}
	return a.update(func(b *bolt.Bucket) error {
		acct, found, err := getAccount(b, name)
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("%w: %q", ErrAccountNotFound, name)
		}
		acct.Hash = hash
		return putAccount(b, acct)
	})
}

func (a accountDB) remove(name string) error {
	return a.update(func(b *bolt.Bucket) error {
		if b.Get([]byte(name)) == nil {
			return fmt.Errorf("%w: %q", ErrAccountNotFound, name)
		}
		return b.Delete([]byte(name))
	})
}

func (a accountDB) list() ([]Account, error) {
	var out []Account
	err := a.view(func(b *bolt.Bucket) error {
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, _ []byte) error {
			acct, _, err := getAccount(b, string(k))
			if err != nil {
				return err
			}
			acct.Hash = ""
			out = append(out, acct)
			return nil
		})
	})
	return out, err
}

func (a accountDB) verify(name, password string) (Account, bool, error) {
	var acct Account
	var found bool
	err := a.view(func(b *bolt.Bucket) error {
		var err error
		acct, found, err = getAccount(b, name)
		return err
	})
	if err != nil {
		return Account{}, found, err
	}
	hash := acct.Hash
	if !found {
		hash = dummyHash(a.cost)
	}
	ok, err := checkPassword(hash, password)
	switch {
	case !found:
		return Account{}, false, nil
	case err != nil:
		return Account{}, true, fmt.Errorf("store: account %q: %w", name, err)
	case !ok:
		return Account{}, true, ErrWrongPassword
	}
	acct.Hash = ""
	return acct, true, nil
}
