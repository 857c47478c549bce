package store

import (
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestHashAndCheck(t *testing.T) {
	h, err := hashPassword("s3cret", defaultCost)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q has unexpected parameters", h)
	}
	h2, _ := hashPassword("s3cret", defaultCost)
	if h == h2 {
		t.Error("two hashes of one password are equal: salt not random")
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{{"s3cret", true}, {"s3cre", false}, {"s3cret ", false}, {"S3cret", false}, {"", false}} {
		ok, err := checkPassword(h, tc.pw)
		if err != nil || ok != tc.want {
			t.Errorf("checkPassword(%q) = %v, %v; want %v", tc.pw, ok, err, tc.want)
		}
	}
}

func TestCheckBcrypt(t *testing.T) {
	h, err := bcrypt.GenerateFromPassword([]byte("legacy"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	for _, variant := range []string{"$2a$", "$2b$", "$2y$"} {
		hv := variant + string(h[4:])
		if ok, err := checkPassword(hv, "legacy"); !ok || err != nil {
			t.Errorf("%s: right password: %v %v", variant, ok, err)
		}
		if ok, err := checkPassword(hv, "wrong"); ok || err != nil {
			t.Errorf("%s: wrong password: %v %v", variant, ok, err)
		}
	}
	expensive := "$2a$31$" + string(h[7:])
	if _, err := checkPassword(expensive, "legacy"); err == nil || !strings.Contains(err.Error(), "cost 31") {
		t.Errorf("cost 31 accepted: %v", err)
	}
}

func TestParseArgon2idRejects(t *testing.T) {
	salt, key := b64.EncodeToString(make([]byte, 16)), b64.EncodeToString(make([]byte, 32))
	ok := "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + key
	if _, err := parseArgon2id(ok); err != nil {
		t.Fatalf("valid string refused: %v", err)
	}
	for _, tc := range []struct{ name, s string }{
		{"argon2i", "$argon2i$v=19$m=19456,t=2,p=1$" + salt + "$" + key},
		{"old version", "$argon2id$v=16$m=19456,t=2,p=1$" + salt + "$" + key},
		{"huge memory", "$argon2id$v=19$m=4194304,t=2,p=1$" + salt + "$" + key},
		{"zero time", "$argon2id$v=19$m=19456,t=0,p=1$" + salt + "$" + key},
		{"many passes", "$argon2id$v=19$m=19456,t=1000,p=1$" + salt + "$" + key},
		{"zero lanes", "$argon2id$v=19$m=19456,t=2,p=0$" + salt + "$" + key},
		{"256 lanes", "$argon2id$v=19$m=19456,t=2,p=256$" + salt + "$" + key},
		{"memory per lane", "$argon2id$v=19$m=16,t=2,p=4$" + salt + "$" + key},
		{"order", "$argon2id$v=19$t=2,m=19456,p=1$" + salt + "$" + key},
		{"missing p", "$argon2id$v=19$m=19456,t=2$" + salt + "$" + key},
		{"extra param", "$argon2id$v=19$m=19456,t=2,p=1,k=1$" + salt + "$" + key},
		{"leading zero", "$argon2id$v=19$m=019456,t=2,p=1$" + salt + "$" + key},
		{"non-canonical base64", "$argon2id$v=19$m=19456,t=2,p=1$" + salt[:len(salt)-1] + "B$" + key},
		{"negative", "$argon2id$v=19$m=-1,t=2,p=1$" + salt + "$" + key},
		{"short salt", "$argon2id$v=19$m=19456,t=2,p=1$AAAA$" + key},
		{"bad base64", "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$!!!!" + key},
		{"padded base64", "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "==$" + key},
		{"short key", "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$AAAA"},
		{"too many parts", ok + "$x"},
		{"empty", ""},
		{"plain text", "hunter2"},
	} {
		if _, err := parseArgon2id(tc.s); err == nil {
			t.Errorf("%s: %q parsed", tc.name, tc.s)
		}
		if ok, err := checkPassword(tc.s, "x"); ok || err == nil {
			t.Errorf("%s: checkPassword = %v, %v; want an error", tc.name, ok, err)
		}
	}
}

func FuzzParseArgon2id(f *testing.F) {
	h, _ := hashPassword("seed", argonCost{memory: 64, time: 1})
	f.Add(h)
	f.Add(dummyHash(defaultCost))
	f.Add("$argon2id$v=19$m=8,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA")
	f.Add("$argon2id$v=19$m=,t=,p=$$")
	f.Add("$2a$04$abcdefghijklmnopqrstuu")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parseArgon2id(s)
		if err != nil {
			return
		}
		if p.memory > maxArgonMemoryKiB || p.time < 1 || p.time > maxArgonTime || p.threads < 1 ||
			len(p.salt) < minSaltLen || len(p.salt) > maxSaltLen || len(p.key) < minKeyLen || len(p.key) > maxKeyLen {
			t.Fatalf("out-of-bounds parameters accepted from %q: %+v", s, p)
		}
		// A parsed string formats back to itself.
		if p.String() != s {
			t.Fatalf("parse(%q).String() = %q", s, p.String())
		}
	})
}
