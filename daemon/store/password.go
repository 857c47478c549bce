package store

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

// Argon2id parameters for new hashes: OWASP's 19 MiB, 2 passes, 1 lane.
// Verification uses the parameters recorded in each hash.
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonSaltLen   = 16
	argonKeyLen    = 32
)

// Bounds accepted when parsing a stored hash, so that a damaged or hostile
// users.db cannot make a login allocate gigabytes or spin for minutes.
const (
	maxArgonMemoryKiB = 1 << 20 // 1 GiB
	maxArgonTime      = 64
	minSaltLen        = 8
	maxSaltLen        = 64
	minKeyLen         = 16
	maxKeyLen         = 128
	maxBcryptCost     = 16
)

// b64 is PHC's base64: standard alphabet, no padding, canonical trailing bits.
var b64 = base64.RawStdEncoding.Strict()

// argonParams is a parsed "$argon2id$v=19$m=M,t=T,p=P$salt$key" string.
type argonParams struct {
	memory  uint32
	time    uint32
	threads uint8
	salt    []byte
	key     []byte
}

// argonCost is the cost of new hashes: memory in KiB and passes.
type argonCost struct {
	memory, time uint32
}

// defaultCost is used for every hash outside tests.
var defaultCost = argonCost{memory: argonMemoryKiB, time: argonTime}

// minimalCost is the cheapest cost argon2id accepts, for test daemons.
var minimalCost = argonCost{memory: 8, time: 1}

var useMinimalCost atomic.Bool

// UseMinimalCost makes every account database opened afterwards hash new
// passwords (and the unknown-user dummy) at argon2id's minimum cost, so
// tests that log in hundreds of times (under -race, where argon2id is
// ~10x slower) stay fast. Hashes keep their own parameters, so accounts
// made either way verify either way. Test helpers only: never a server.
func UseMinimalCost() { useMinimalCost.Store(true) }

// newHashCost is the cost of hashes made by a database opened now.
func newHashCost() argonCost {
	if useMinimalCost.Load() {
		return minimalCost
	}
	return defaultCost
}

// hashPassword returns a new argon2id PHC string for pw.
func hashPassword(pw string, c argonCost) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("store: random salt: %w", err)
	}
	p := argonParams{memory: c.memory, time: c.time, threads: argonThreads, salt: salt}
	p.key = idKey([]byte(pw), p)
	return p.String(), nil
}

// String formats p as a PHC string.
func (p argonParams) String() string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.memory, p.time, p.threads, b64.EncodeToString(p.salt), b64.EncodeToString(p.key))
}

// parseArgon2id parses an argon2id PHC string, refusing anything outside the
// bounds above.
func parseArgon2id(s string) (argonParams, error) {
	// Only PHC's characters: base64 would otherwise skip \r and \n.
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("+/$=,", c) >= 0) {
			return argonParams{}, fmt.Errorf("bad character %q in argon2id PHC string", c)
		}
	}
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return argonParams{}, errors.New("not an argon2id PHC string")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return argonParams{}, fmt.Errorf("unsupported argon2 version %q", parts[2])
	}
	var p argonParams
	seen := 0
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return argonParams{}, fmt.Errorf("bad argon2 parameter %q", kv)
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil || strconv.FormatUint(n, 10) != v { // canonical decimal only
			return argonParams{}, fmt.Errorf("bad argon2 parameter %q", kv)
		}
		switch {
		case k == "m" && seen == 0 && n >= 8 && n <= maxArgonMemoryKiB:
			p.memory = uint32(n)
		case k == "t" && seen == 1 && n >= 1 && n <= maxArgonTime:
			p.time = uint32(n)
		case k == "p" && seen == 2 && n >= 1 && n <= 255:
			p.threads = uint8(n)
		default:
			return argonParams{}, fmt.Errorf("bad or out-of-range argon2 parameter %q", kv)
		}
		seen++
	}
	if seen != 3 {
		return argonParams{}, errors.New("argon2 parameters must be m, t and p")
	}
	if p.memory < 8*uint32(p.threads) {
		return argonParams{}, errors.New("argon2 memory below 8 KiB per lane")
	}
	var err error
	if p.salt, err = b64.DecodeString(parts[4]); err != nil || len(p.salt) < minSaltLen || len(p.salt) > maxSaltLen {
		return argonParams{}, errors.New("bad argon2 salt")
	}
	if p.key, err = b64.DecodeString(parts[5]); err != nil || len(p.key) < minKeyLen || len(p.key) > maxKeyLen {
		return argonParams{}, errors.New("bad argon2 hash")
	}
	return p, nil
}

// checkPassword reports whether pw matches the PHC string (argon2id) or
// bcrypt hash. Comparison is constant-time; a malformed hash is an error.
func checkPassword(hash, pw string) (bool, error) {
	if strings.HasPrefix(hash, "$2") {
		cost, err := bcrypt.Cost([]byte(hash))
		if err != nil {
			return false, fmt.Errorf("bad bcrypt hash: %w", err)
		}
		if cost > maxBcryptCost {
			return false, fmt.Errorf("bcrypt cost %d above the accepted maximum %d", cost, maxBcryptCost)
		}
		err = bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw))
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, bcrypt.ErrMismatchedHashAndPassword):
			return false, nil
		default:
			return false, fmt.Errorf("bad bcrypt hash: %w", err)
		}
	}
	p, err := parseArgon2id(hash)
	if err != nil {
		return false, err
	}
	key := idKey([]byte(pw), p)
	return subtle.ConstantTimeCompare(key, p.key) == 1, nil
}

// dummyHash is verified against when an account does not exist, so that a
// login for an unknown name costs as much as one for a known name.
func dummyHash(c argonCost) string {
	return argonParams{
		memory: c.memory, time: c.time, threads: argonThreads,
		salt: make([]byte, argonSaltLen), key: make([]byte, argonKeyLen),
	}.String()
}
