package daemon

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/fsops"
	"github.com/jetstream-go/jetstream/net/engine"
)

func TestRetryable(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"receiver down", &client.ConnectError{Addr: "127.0.0.1:1", Err: errors.New("connection refused")}, true},
		{"api hung up", fmt.Errorf("receiving server refused the transfer: %w", client.ErrClosed), true},
		{"peer timeout", &engine.Error{Code: engine.CodePeerTimeout, Msg: "no packet"}, true},
		{"api connection lost", errReceiverLost, true},
		{"wrapped peer timeout", fmt.Errorf("x: %w", &engine.Error{Code: engine.CodePeerTimeout}), true},
		{"disk full", &engine.Error{Code: engine.CodeDiskFull, Msg: "no space"}, false},
		{"auth", api.Errorf(api.CodeAuthFailed, "bad password"), false},
		{"files failed", errors.New("1 of 3 files failed: /x: source_unreadable"), false},
		{"path refused", &engine.Error{Code: engine.CodePathRefused}, false},
	} {
		if got := retryable(tc.err); got != tc.want {
			t.Errorf("%s: retryable(%v) = %v, want %v", tc.name, tc.err, got, tc.want)
		}
	}
}

func TestWithCarried(t *testing.T) {
	prev := sentSoFar(api.Transfer{BytesSent: 100, BlocksSent: 10, BlocksRetransmitted: 1, PacketsSent: 12,
		PacketsRecv: 5, BytesRecv: 50, BytesAcked: 90, FilesDone: 2})
	if prev.BytesAcked != 0 || prev.FilesDone != 0 {
		t.Fatalf("sentSoFar kept progress counters: %+v", prev)
	}
	got := withCarried(api.Transfer{BytesSent: 7, BlocksSent: 1, PacketsSent: 1, BytesAcked: 95, FilesDone: 3}, prev)
	want := api.Transfer{BytesSent: 107, BlocksSent: 11, BlocksRetransmitted: 1, PacketsSent: 13, PacketsRecv: 5,
		BytesRecv: 50, BytesAcked: 95, FilesDone: 3}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("withCarried = %+v\nwant %+v", got, want)
	}
}

func TestLiveSessionsSupersede(t *testing.T) {
	var l liveSessions
	if err := l.supersede("alice/k", "alice"); err != nil {
		t.Fatalf("no session yet: %v", err)
	}
	// A tracked session of another owner is never stopped for a different user.
	l.track("k", "bob", nil)
	if err := l.supersede("k", "alice"); api.CodeOf(err) != api.CodeInvalidParameter {
		t.Fatalf("other owner's key: %v, want invalid_parameter", err)
	}
	l.untrack(nil)
	if len(l.byKey) != 0 {
		t.Fatalf("untrack left %v", l.byKey)
	}
}

func TestFixedNeedsRate(t *testing.T) {
	for _, tc := range []struct {
		policy string
		max    float64
		ok     bool
	}{
		{api.PolicyFixed, 0, false},
		{api.PolicyFixed, 1000, true},
		{api.PolicyFair, 0, true},
		{"low", 0, true},
	} {
		err := fixedNeedsRate(params{}, tc.policy, tc.max)
		if (err == nil) != tc.ok {
			t.Errorf("fixedNeedsRate(%s, %v) = %v, want ok=%v", tc.policy, tc.max, err, tc.ok)
		}
	}
}

func TestUserSourceRefusesLinks(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	if err := os.WriteFile(real, []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	files := []engine.SourceFile{{LocalPath: real, TargetPath: "real", Size: 10}, {LocalPath: link, TargetPath: "link", Size: 10},
		{LocalPath: filepath.Join(dir, "gone"), TargetPath: "gone", Size: 1}}
	src := userSource(files, fsops.CurrentIdentity())
	for _, tc := range []struct {
		index int
		code  engine.Code
	}{{0, ""}, {1, engine.CodeSourceChanged}, {2, engine.CodeSourceUnreadable}, {7, engine.CodeProtocol}} {
		r, err := src.Open(engine.FileMeta{Index: tc.index})
		if got := engine.CodeOf(err); got != tc.code {
			t.Errorf("open %d: %v (code %q), want code %q", tc.index, err, got, tc.code)
		}
		if r != nil {
			r.Close()
		}
	}
}
