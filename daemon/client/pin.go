package client

import (
	"bufio"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// CertChangedError reports that a server presented a certificate other than
// the one pinned for it.
type CertChangedError struct {
	Addr, Pinned, Got, File string
}

func (e *CertChangedError) Error() string {
	return fmt.Sprintf("the certificate of %s has changed (pinned %s, server sent %s); "+
		"if you trust the new certificate, delete the line for %s in %s and connect again",
		e.Addr, e.Pinned, e.Got, e.Addr, e.File)
}

// Fingerprint is the pinned form of a certificate: "sha256:" + hex of its DER.
func Fingerprint(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// DefaultKnownHostsPath is known_hosts in the user's jetstream config dir.
func DefaultKnownHostsPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "jetstream", "known_hosts")
}

var pinMu sync.Mutex // serialises known_hosts updates within the process

// checkPin verifies fp for addr against the file, adding it when absent.
// added reports a first-use pin.
func checkPin(file, addr, fp string) (added bool, err error) {
	pinMu.Lock()
	defer pinMu.Unlock()
	pinned, err := readPins(file)
	if err != nil {
		return false, err
	}
	if old, ok := pinned[addr]; ok {
		if old != fp {
			return false, &CertChangedError{Addr: addr, Pinned: old, Got: fp, File: file}
		}
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return false, fmt.Errorf("pin certificate: %w", err)
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return false, fmt.Errorf("pin certificate: %w", err)
	}
	if _, err := fmt.Fprintf(f, "%s %s\n", addr, fp); err != nil {
		f.Close()
		return false, fmt.Errorf("pin certificate: %w", err)
	}
	return true, f.Close()
}

func readPins(file string) (map[string]string, error) {
	pins := map[string]string{}
	f, err := os.Open(file)
	if errors.Is(err, os.ErrNotExist) {
		return pins, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read known hosts: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) == 2 {
			pins[fields[0]] = fields[1]
		}
	}
	return pins, sc.Err()
}
