package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jetstream-go/jetstream/daemon/daemontest"
)

// TestCompleteRemoteE2E lists a real daemon's sandbox through
// `jscp --complete-remote`, as the completion scripts call it.
func TestCompleteRemoteE2E(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a daemon")
	}
	sandbox := daemontest.OpenDir(t)
	if err := os.MkdirAll(filepath.Join(sandbox, "data", "docs"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"data/data.iso", "data/other"} {
		if err := os.WriteFile(filepath.Join(sandbox, f), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	daemontest.ChownTree(t, sandbox, daemontest.BuiltinIdentity(t))
	d := daemontest.Start(t, daemontest.WithSandbox(sandbox))
	d.AddUser("alice", "pw", false)
	t.Setenv("JETSTREAM_KNOWN_HOSTS", d.KnownHosts)
	word := fmt.Sprintf("alice@127.0.0.1:%d:/data/d", d.Port)
	complete := func() string {
		var out, errb bytes.Buffer
		if code := run([]string{"--complete-remote", word}, &out, &errb); code != exitOK || errb.Len() > 0 {
			t.Fatalf("exit %d, stderr %q", code, errb.String())
		}
		return out.String()
	}

	t.Setenv("JETSTREAM_API_PASSWORD", "wrong")
	if got := complete(); got != "" {
		t.Errorf("with a wrong password: %q, want nothing", got)
	}
	t.Setenv("JETSTREAM_API_PASSWORD", "pw")
	prefix := strings.TrimSuffix(word, "d")
	want := prefix + "data.iso\n" + prefix + "docs/\n"
	if got := complete(); got != want {
		t.Errorf("completions:\n%s\nwant:\n%s", got, want)
	}
}
