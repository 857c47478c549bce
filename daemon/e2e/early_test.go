package e2e

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/net/engine"
)

// TestProposedTicket: a caller may choose its session's conversation id and
// key in recv.createTicket and say hello before asking; the daemon holds
// the hello and answers it as soon as the ticket exists. Bad proposals are
// refused before anything is created; a conversation id already in use is
// replaced by the daemon's own.
func TestProposedTicket(t *testing.T) {
	home, c := bobReceiver(t)
	key := bytes.Repeat([]byte{7}, 32)
	base := func(extra map[string]any) map[string]any {
		p := map[string]any{"transferKey": "early-" + randName(), "destinationPath": "/"}
		for k, v := range extra {
			p[k] = v
		}
		return p
	}
	for _, tc := range []struct {
		name  string
		extra map[string]any
	}{
		{"conv without key", map[string]any{"conv": 5}},
		{"key without conv", map[string]any{"key": key}},
		{"conv zero", map[string]any{"conv": 0, "key": key}},
		{"conv above 32 bits", map[string]any{"conv": int64(1) << 32, "key": key}},
		{"short key", map[string]any{"conv": 5, "key": key[:16]}},
		{"key not base64", map[string]any{"conv": 5, "key": "not base64!"}},
	} {
		var tk api.Ticket
		err := c.Call(bg, "recv.createTicket", base(tc.extra), &tk)
		if api.CodeOf(err) != api.CodeInvalidParameter {
			t.Errorf("%s: err %v, want invalid_parameter", tc.name, err)
		}
	}
	var list struct{ Transfers []api.RecvTransfer }
	if err := c.Async(bg, "recv.getTransfersAsync", nil, &list); err != nil || len(list.Transfers) != 0 {
		t.Fatalf("refused proposals created transfers: %v, %v", list.Transfers, err)
	}

	// Hello first, ticket after: the session starts without a hello retry.
	si, err := c.ServerInfo(bg)
	if err != nil {
		t.Fatal(err)
	}
	data := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: si.Receiver.RecvPort}
	ep, err := engine.Listen("127.0.0.1:0", engine.Config{HelloInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer ep.Close()
	want := engine.Ticket{Conv: 0x5eed, Cipher: engine.CipherAES128, Key: key, TransferKey: "early-" + randName()}
	src := &memSource{files: []memFile{{"early.txt", []byte("said hello first")}}}
	sess, err := ep.Dial(data, want, engine.Side{Source: src})
	if err != nil {
		t.Fatal(err)
	}
	var tk api.Ticket
	if err := c.Call(bg, "recv.createTicket", map[string]any{"transferKey": want.TransferKey, "destinationPath": "/",
		"minCipher": api.CipherAES128, "conv": want.Conv, "key": key}, &tk); err != nil {
		t.Fatal(err)
	}
	if tk.Conv != want.Conv || !bytes.Equal(tk.Key, key) {
		t.Fatalf("ticket conv %d key %x, want the proposal", tk.Conv, tk.Key)
	}
	if err := waitSession(t, sess); err != nil {
		t.Fatalf("early session: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(home, "early.txt")); string(got) != "said hello first" {
		t.Fatalf("landed %q", got)
	}

	// The same conversation id while the first ticket's session waits for
	// its hello: the second gets the daemon's own id and key.
	var first, second api.Ticket
	for _, out := range []*api.Ticket{&first, &second} {
		if err := c.Call(bg, "recv.createTicket", base(map[string]any{"conv": 0x600d, "key": key}), out); err != nil {
			t.Fatal(err)
		}
	}
	if first.Conv != 0x600d || second.Conv == 0x600d || bytes.Equal(second.Key, key) {
		t.Errorf("conv in use: tickets %d then %d (key reused: %v), want the proposal then a fresh id and key",
			first.Conv, second.Conv, bytes.Equal(second.Key, key))
	}
}
