package daemon_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/daemon/daemontest"
)

// keyTransfer queues a transfer of src on a (as alice) to b's API port with
// no credentials, so a must log in to b with its server key.
func keyTransfer(t *testing.T, ca *client.Client, destID, src, destPath string) api.Transfer {
	t.Helper()
	var m api.Manifest
	if err := ca.Call(bg, "send.createManifest", map[string]any{"fileMappings": []string{src + ":/in/" + filepath.Base(src)}}, &m); err != nil {
		t.Fatal(err)
	}
	if err := ca.Call(bg, "send.waitForManifest", map[string]any{"manifestId": m.ManifestID, "timeoutSeconds": 30}, &m); err != nil {
		t.Fatal(err)
	}
	var tr api.Transfer
	if err := ca.Call(bg, "send.createTransfer", map[string]any{"destinationId": destID, "manifestId": m.ManifestID, "destinationPath": destPath}, &tr); err != nil {
		t.Fatal(err)
	}
	return waitTransfer(t, ca, tr.TransferID)
}

// TestServerKeyAuthorisedTransfer: a destination without credentials sends
// by proving the sending daemon's key; a fresh receiver trusts no key; after
// recv.addAuthorizedClientAsync files land in the named user's sandbox
// (created at login); allowOnlyAuthorizedClients refuses password uploads
// but not the key; after removal the key is refused again.
func TestServerKeyAuthorisedTransfer(t *testing.T) {
	srcDir := daemontest.OpenDir(t)
	sandbox := daemontest.OpenDir(t)
	a := daemontest.Start(t)
	b := daemontest.Start(t, daemontest.WithSandbox(filepath.Join(sandbox, "%u")))
	a.AddUser("alice", "pw-alice-1", false)
	b.AddUser("bob", "pw-bob-123", false)
	b.AddUser("admin", "pw-admin-1", true)
	id := daemontest.BuiltinIdentity(t)
	want := randomFile(t, filepath.Join(srcDir, "f1.bin"), 300<<10+5)
	randomFile(t, filepath.Join(srcDir, "f2.bin"), 1000)
	randomFile(t, filepath.Join(srcDir, "f3.bin"), 1000)
	daemontest.ChownTree(t, srcDir, id)

	aInfo, err := a.Dial().ServerInfo(bg)
	if err != nil || !strings.HasPrefix(aInfo.PublicKey, api.ServerKeyPrefix) {
		t.Fatalf("sender public key %q: %v", aInfo.PublicKey, err)
	}
	bInfo, err := b.Dial().ServerInfo(bg)
	if err != nil {
		t.Fatal(err)
	}
	ca := a.Login("alice", "pw-alice-1")
	// The receiver must prove it holds destinationPublicKey on the
	// connection before any credential is sent.
	var dest, wrongKey api.Destination
	if err := ca.Call(bg, "send.createDestination", map[string]any{"destinationAddress": "127.0.0.1", "destinationApiPort": b.Port,
		"destinationPublicKey": bInfo.PublicKey}, &dest); err != nil {
		t.Fatal(err)
	}
	if err := ca.Call(bg, "send.createDestination", map[string]any{"destinationAddress": "127.0.0.1", "destinationApiPort": b.Port,
		"destinationPublicKey": aInfo.PublicKey, "userName": "bob", "password": "pw-bob-123"}, &wrongKey); err != nil {
		t.Fatal(err)
	}
	wantCode(t, ca.Call(bg, "send.createDestination", map[string]any{"destinationAddress": "127.0.0.1", "destinationApiPort": b.Port,
		"destinationPublicKey": "ed25519:AAAA"}, nil), api.CodeInvalidParameter)
	tr := keyTransfer(t, ca, wrongKey.DestinationID, filepath.Join(srcDir, "f1.bin"), "/p")
	if tr.Status != api.TransferError || !strings.Contains(deref(tr.ErrorMessage), "not the expected") {
		t.Fatalf("transfer to a receiver with another key: %s %q", tr.Status, deref(tr.ErrorMessage))
	}
	evs, err := b.Superuser("admin", "pw-admin-1").EventLog(bg, map[string]any{"eventName": "authSucceeded"})
	if err != nil || len(evs) != 1 { // admin's own login only: bob's password was never sent
		t.Fatalf("receiver's logins: %+v %v", evs, err)
	}

	// Secure by default: the fresh receiver refuses the unknown key.
	tr = keyTransfer(t, ca, dest.DestinationID, filepath.Join(srcDir, "f1.bin"), "/p")
	if tr.Status != api.TransferError || !strings.Contains(deref(tr.ErrorMessage), "did not accept this server's key") {
		t.Fatalf("transfer to a receiver that trusts no key: %s %q", tr.Status, deref(tr.ErrorMessage))
	}
	if _, err := os.Stat(filepath.Join(sandbox, "bob")); !os.IsNotExist(err) {
		t.Fatalf("refused sender created bob's sandbox: %v", err)
	}

	admin := b.Superuser("admin", "pw-admin-1")
	err = admin.Async(bg, "recv.addAuthorizedClientAsync", map[string]any{"clientPublicKey": aInfo.PublicKey, "userName": "nosuchuser"}, nil)
	wantCode(t, err, api.CodeInvalidParameter)
	if err := admin.Async(bg, "recv.addAuthorizedClientAsync", map[string]any{"clientPublicKey": map[string]string{"clientPublicKey": aInfo.PublicKey}, "userName": "bob"}, nil); err != nil {
		t.Fatal(err)
	}
	tr = keyTransfer(t, ca, dest.DestinationID, filepath.Join(srcDir, "f1.bin"), "/p")
	if tr.Status != api.TransferComplete {
		t.Fatalf("authorised key transfer: %s %q", tr.Status, deref(tr.ErrorMessage))
	}
	got, err := os.ReadFile(filepath.Join(sandbox, "bob", "p", "in", "f1.bin"))
	if err != nil || string(got) != string(want) {
		t.Fatalf("landed file: %d bytes, %v; want %d bytes", len(got), err, len(want))
	}
	if fi, err := os.Stat(filepath.Join(sandbox, "bob")); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("bob's sandbox root created at key login: %v %v", fi, err)
	}
	evs, err = admin.EventLog(bg, map[string]any{"eventName": "authSucceeded"})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(evs); n == 0 || evs[n-1].Fields["method"] != "serverKey" || evs[n-1].Fields["userName"] != "bob" {
		t.Fatalf("authSucceeded of the key login: %+v", evs)
	}

	// Only authorised clients: bob's password login may no longer upload,
	// the key still may.
	if err := admin.Async(bg, "recv.allowOnlyAuthorizedClientsAsync", map[string]any{"onlyAuthorizedClientsAllowed": true}, nil); err != nil {
		t.Fatal(err)
	}
	err = b.Login("bob", "pw-bob-123").Call(bg, "recv.createTicket", map[string]any{"transferKey": "k1"}, nil)
	wantCode(t, err, api.CodePermissionDenied)
	if tr = keyTransfer(t, ca, dest.DestinationID, filepath.Join(srcDir, "f2.bin"), "/p"); tr.Status != api.TransferComplete {
		t.Fatalf("key transfer with allowOnlyAuthorizedClients: %s %q", tr.Status, deref(tr.ErrorMessage))
	}
	if err := admin.Async(bg, "recv.allowOnlyAuthorizedClientsAsync", map[string]any{"onlyAuthorizedClientsAllowed": false}, nil); err != nil {
		t.Fatal(err)
	}
	if err := b.Login("bob", "pw-bob-123").Call(bg, "recv.createTicket", map[string]any{"transferKey": "k2"}, nil); err != nil {
		t.Fatalf("password upload with allowOnlyAuthorizedClients off: %v", err)
	}

	// Removal: refused again.
	if err := admin.Async(bg, "recv.removeAuthorizedClientAsync", map[string]any{"clientPublicKey": aInfo.PublicKey}, nil); err != nil {
		t.Fatal(err)
	}
	tr = keyTransfer(t, ca, dest.DestinationID, filepath.Join(srcDir, "f3.bin"), "/p")
	if tr.Status != api.TransferError || !strings.Contains(deref(tr.ErrorMessage), "did not accept") {
		t.Fatalf("transfer after removal: %s %q", tr.Status, deref(tr.ErrorMessage))
	}
	if _, err := os.Stat(filepath.Join(sandbox, "bob", "p", "in", "f3.bin")); !os.IsNotExist(err) {
		t.Fatalf("file of a removed key landed: %v", err)
	}
}

// TestAuthServerKeyProtocol checks the challenge-response rules directly.
func TestAuthServerKeyProtocol(t *testing.T) {
	b := daemontest.Start(t)
	b.AddUser("bob", "pw-bob-123", false)
	b.AddUser("admin", "pw-admin-1", true)
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	key := api.FormatServerKey(pub)
	_, otherPriv, _ := ed25519.GenerateKey(rand.Reader)
	admin := b.Superuser("admin", "pw-admin-1")

	// answer signs the challenge of conn c; mutate may spoil it.
	answer := func(c *client.Client, signer ed25519.PrivateKey, mutate func(nonce, binding []byte, uid string) ([]byte, []byte, string)) map[string]string {
		t.Helper()
		var ch api.ServerKeyChallenge
		if err := c.Call(bg, api.MethodServerKeyChallenge, nil, &ch); err != nil {
			t.Fatal(err)
		}
		cb, err := c.ChannelBinding()
		if err != nil {
			t.Fatal(err)
		}
		nonce, binding, uid := ch.Nonce, cb, ch.ServerUID
		if mutate != nil {
			nonce, binding, uid = mutate(nonce, binding, uid)
		}
		sig := ed25519.Sign(signer, api.ServerKeyAuthMessage(nonce, binding, uid, key))
		return map[string]string{"clientPublicKey": key, "signature": base64.StdEncoding.EncodeToString(sig)}
	}
	if err := b.Dial().AuthServerKey(bg, priv, ""); err == nil {
		t.Fatal("a fresh server accepted an unknown key")
	}
	if err := admin.Async(bg, "recv.addAuthorizedClientAsync", map[string]any{"clientPublicKey": key, "userName": "bob"}, nil); err != nil {
		t.Fatal(err)
	}
	flip := func(b []byte) []byte { c := append([]byte(nil), b...); c[0] ^= 1; return c }
	tests := []struct {
		name string
		run  func(c *client.Client) error
	}{
		{"no challenge", func(c *client.Client) error {
			return c.Call(bg, api.MethodAuthServerKey, map[string]string{"clientPublicKey": key, "signature": base64.StdEncoding.EncodeToString(make([]byte, 64))}, nil)
		}},
		{"other key's signature", func(c *client.Client) error {
			return c.Call(bg, api.MethodAuthServerKey, answer(c, otherPriv, nil), nil)
		}},
		{"wrong nonce", func(c *client.Client) error {
			return c.Call(bg, api.MethodAuthServerKey, answer(c, priv, func(n, b []byte, u string) ([]byte, []byte, string) { return flip(n), b, u }), nil)
		}},
		{"other TLS connection", func(c *client.Client) error {
			return c.Call(bg, api.MethodAuthServerKey, answer(c, priv, func(n, b []byte, u string) ([]byte, []byte, string) { return n, flip(b), u }), nil)
		}},
		{"other server", func(c *client.Client) error {
			return c.Call(bg, api.MethodAuthServerKey, answer(c, priv, func(n, b []byte, u string) ([]byte, []byte, string) { return n, b, u + "x" }), nil)
		}},
		{"replayed answer", func(c *client.Client) error {
			p := answer(c, priv, nil)
			if err := c.Call(bg, api.MethodAuthServerKey, p, nil); err != nil {
				t.Fatalf("first answer: %v", err)
			}
			return c.Call(bg, api.MethodAuthServerKey, p, nil)
		}},
		{"answer from another connection", func(c *client.Client) error {
			other := b.Dial()
			p := answer(other, priv, nil)
			c.Call(bg, api.MethodServerKeyChallenge, nil, nil)
			return c.Call(bg, api.MethodAuthServerKey, p, nil)
		}},
		{"malformed key", func(c *client.Client) error {
			p := answer(c, priv, nil)
			p["clientPublicKey"] = "ed25519:!!"
			return c.Call(bg, api.MethodAuthServerKey, p, nil)
		}},
		{"malformed signature", func(c *client.Client) error {
			p := answer(c, priv, nil)
			p["signature"] = "abc"
			return c.Call(bg, api.MethodAuthServerKey, p, nil)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, tc.run(b.Dial()), api.CodeAuthFailed)
		})
	}

	// A key session is bob, may receive, and may do nothing else.
	c := b.Dial()
	if err := c.AuthServerKey(bg, priv, ""); err != nil {
		t.Fatal(err)
	}
	if si, _ := c.ServerInfo(bg); si.UserName != "bob" {
		t.Fatalf("key session acts as %q, want bob", si.UserName)
	}
	if err := c.Call(bg, "recv.createTicket", map[string]any{"transferKey": "k"}, nil); err != nil {
		t.Fatalf("key session createTicket: %v", err)
	}
	for _, m := range []string{"lsRootsAsync", "send.getTransfers", "superuser", "getEventLog"} {
		wantCode(t, c.Call(bg, m, nil, nil), api.CodePermissionDenied)
	}
	if _, err := c.Watch(bg, api.WatchParams{}); api.CodeOf(err) != api.CodePermissionDenied {
		t.Fatalf("key session watch: %v", err)
	}
	// Removal applies to open key sessions at once.
	if err := admin.Async(bg, "recv.removeAuthorizedClientAsync", map[string]any{"clientPublicKey": key}, nil); err != nil {
		t.Fatal(err)
	}
	wantCode(t, c.Call(bg, "recv.createTicket", map[string]any{"transferKey": "k2"}, nil), api.CodePermissionDenied)
	wantCode(t, admin.Async(bg, "recv.removeAuthorizedClientAsync", map[string]any{"clientPublicKey": key}, nil), api.CodeNotFound)
	wantCode(t, admin.Async(bg, "recv.addAuthorizedClientAsync", map[string]any{"clientPublicKey": "ed25519:AAAA"}, nil), api.CodeInvalidParameter)
}
