package main

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/jetstream-go/jetstream/daemon/daemontest"
)

func TestAPICommandExitCodes(t *testing.T) {
	d := daemontest.Start(t)
	d.AddUser("alice", "pw-alice-1", false)
	base := []string{"api", "--host", "127.0.0.1", "--api-control-port", strconv.Itoa(d.Port), "--known-hosts", d.KnownHosts}
	tests := []struct {
		name     string
		password string
		args     []string
		code     int
		stdout   string
		stderr   string
	}{
		{"no auth needed", "", []string{"getServerInfo"}, exitOK, `"apiVersion": 40`, ""},
		{"echo", "pw-alice-1", []string{"--user", "alice", "echo", "--text", "hi there"}, exitOK, `"hi there"`, ""},
		{"async wait", "pw-alice-1", []string{"--user", "alice", "--wait", "lsRootsAsync"}, exitOK, `"files"`, ""},
		{"wrong password", "nope", []string{"--user", "alice", "echo"}, exitAuth, "", "authentication failed"},
		{"unknown method", "", []string{"lsAsyn"}, exitUsage, "", "did you mean lsAsync"},
		{"unknown param", "", []string{"lsAsync", "--bogus=1"}, exitUsage, "", "unknown parameter --bogus"},
		{"bad type", "", []string{"getEventLog", "--limit=x"}, exitUsage, "", "want an integer"},
		{"missing param", "", []string{"lsAsync"}, exitUsage, "", "missing required parameter --path"},
		{"server refuses", "pw-alice-1", []string{"--user", "alice", "superuser"}, exitFailed, "", "not eligible"},
		{"--superuser not eligible", "pw-alice-1", []string{"--user", "alice", "--superuser", "echo"}, exitAuth, "", "not eligible"},
		{"server error", "pw-alice-1", []string{"--user", "alice", "--wait", "lsAsync", "--path", "/no/such/dir"}, exitFailed, "", "no such"},
		{"not superuser", "pw-alice-1", []string{"--user", "alice", "terminate"}, exitFailed, "", "superuser privileges required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("JETSTREAM_API_PASSWORD", tt.password)
			var out, errb bytes.Buffer
			code := run(append(append([]string{}, base...), tt.args...), strings.NewReader(""), &out, &errb)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, errb.String())
			}
			if !strings.Contains(out.String(), tt.stdout) || !strings.Contains(errb.String(), tt.stderr) {
				t.Fatalf("stdout %q / stderr %q; want %q / %q", out.String(), errb.String(), tt.stdout, tt.stderr)
			}
			if tt.code == exitOK && !json.Valid(out.Bytes()) {
				t.Fatalf("stdout is not JSON: %s", out.String())
			}
		})
	}
	var out, errb bytes.Buffer
	if code := run(append(base, "getServerInfo"), strings.NewReader(""), &out, &errb); code != exitOK {
		t.Fatal(errb.String())
	}
	if code := run([]string{"api", "--host", "127.0.0.1", "--api-control-port", "1", "getServerInfo"}, strings.NewReader(""), &out, &errb); code != exitConnect {
		t.Fatalf("unreachable server: exit %d", code)
	}
}
