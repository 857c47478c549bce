package api

import (
	"bytes"
	"crypto/ed25519"
	"strings"
	"testing"
)

func TestParseServerKey(t *testing.T) {
	pub := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32)).Public().(ed25519.PublicKey)
	good := FormatServerKey(pub)
	tests := []struct {
		in      string
		wantErr string
	}{
		{good, ""},
		{"", "starts with"},
		{"rsa:" + good[8:], "starts with"},
		{"ed25519:", "0 bytes"},
		{"ed25519:!!!!", "bad base64"},
		{"ed25519:AAAA", "3 bytes"},
		{"ed25519:" + strings.Repeat("A", 47) + "=", "35 bytes"},
	}
	for _, tc := range tests {
		got, err := ParseServerKey(tc.in)
		if tc.wantErr == "" {
			if err != nil || !bytes.Equal(got, pub) {
				t.Errorf("ParseServerKey(%q) = %x, %v", tc.in, got, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("ParseServerKey(%q) error %v, want %q", tc.in, err, tc.wantErr)
		}
	}
}

// TestServerKeyAuthMessageUnambiguous: moving bytes between fields changes
// the message (length prefixes).
func TestServerKeyAuthMessageUnambiguous(t *testing.T) {
	a := ServerKeyAuthMessage([]byte("ab"), []byte("c"), "uid", "key")
	b := ServerKeyAuthMessage([]byte("a"), []byte("bc"), "uid", "key")
	c := ServerKeyAuthMessage([]byte("ab"), []byte("c"), "uidk", "ey")
	if bytes.Equal(a, b) || bytes.Equal(a, c) {
		t.Fatal("different fields give the same message")
	}
	if !bytes.Equal(a, ServerKeyAuthMessage([]byte("ab"), []byte("c"), "uid", "key")) {
		t.Fatal("message is not deterministic")
	}
}

func FuzzParseServerKey(f *testing.F) {
	f.Add("ed25519:" + strings.Repeat("A", 43) + "=")
	f.Add("ed25519:")
	f.Add("garbage")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseServerKey(s)
		if err != nil {
			return
		}
		if len(k) != ed25519.PublicKeySize {
			t.Fatalf("accepted %q as a %d-byte key", s, len(k))
		}
		if k2, err := ParseServerKey(FormatServerKey(k)); err != nil || !bytes.Equal(k, k2) {
			t.Fatalf("round trip of %q: %x, %v", s, k2, err)
		}
	})
}

// TestProofDomainsDiffer: a sender's signature can never pass as a
// receiver's proof or the other way round.
func TestProofDomainsDiffer(t *testing.T) {
	n, b := []byte("nonce"), []byte("binding")
	if bytes.Equal(ServerKeyAuthMessage(n, b, "uid", "k"), ReceiverProofMessage(n, b, "uid", "k")) {
		t.Fatal("sender and receiver messages are the same")
	}
}
