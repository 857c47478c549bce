package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// keyCase is one value of one key written as "key = value" on line 1.
type keyCase struct {
	key   string
	value string // TOML literal
	want  any    // Lookup value when err is ""
	err   string // the whole error, file:line:col included
}

var keyCases = []keyCase{
	{"api-port", `9000`, 9000, ""},
	{"api-port", `0`, 0, ""},
	{"api-port", `70000`, nil, `jetstream.toml:1:12: api-port: must be between 1 and 65535 (or 0 for any free port), got 70000`},
	{"api-port", `-1`, nil, `jetstream.toml:1:12: api-port: must be between 1 and 65535 (or 0 for any free port), got -1`},
	{"api-port", `"8886"`, nil, `jetstream.toml:1:12: api-port: expected an integer, got string "8886"`},
	{"api-port", `1.5`, nil, `jetstream.toml:1:12: api-port: expected an integer, got float 1.5`},

	{"api-host", `""`, "", ""},
	{"api-host", `"127.0.0.1"`, "127.0.0.1", ""},
	{"api-host", `"::1"`, "::1", ""},
	{"api-host", `"jet.example.com"`, "jet.example.com", ""},
	{"api-host", `"[::1]"`, nil, `jetstream.toml:1:12: api-host: write the IPv6 address without brackets, got "[::1]"`},
	{"api-host", `"jet:8886"`, nil, `jetstream.toml:1:12: api-host: must be a host name or IP address without a port (set the port with api-port), got "jet:8886"`},
	{"api-host", `"a b"`, nil, `jetstream.toml:1:12: api-host: must be an IP address or a host name, got "a b"`},
	{"api-host", `5`, nil, `jetstream.toml:1:12: api-host: expected a string, got integer 5`},
	{"api-host", `{ a = 1 }`, nil, `jetstream.toml:1:12: api-host: expected a string, got table`},
	{"api-host", `[]`, nil, `jetstream.toml:1:12: api-host: expected a string, got array`},
	{"api-host", `1979-05-27T07:32:00Z`, nil, `jetstream.toml:1:12: api-host: expected a string, got date-time`},
	{"api-host", `1979-05-27`, nil, `jetstream.toml:1:12: api-host: expected a string, got date or time`},
	{"api-host", `"-jet.example.com"`, nil, `jetstream.toml:1:12: api-host: must be an IP address or a host name, got "-jet.example.com"`},
	{"api-host", `"jet..example.com"`, nil, `jetstream.toml:1:12: api-host: must be an IP address or a host name, got "jet..example.com"`},
	{"api-host", `"` + strings.Repeat("a", 64) + `.com"`, nil,
		`jetstream.toml:1:12: api-host: must be an IP address or a host name, got "` + strings.Repeat("a", 64) + `"...`},
	{"api-host", `"jet.example.com."`, "jet.example.com.", ""},

	{"api-allow-remote-control", `false`, false, ""},
	{"api-allow-remote-control", `"no"`, nil, `jetstream.toml:1:28: api-allow-remote-control: expected true or false, got string "no"`},

	{"max-connections", `1`, 1, ""},
	{"max-connections", `0`, nil, `jetstream.toml:1:19: max-connections: must be between 1 and 1000000, got 0`},

	{"max-line-bytes", `4096`, 4096, ""},
	{"max-line-bytes", `100`, nil, `jetstream.toml:1:18: max-line-bytes: must be between 4096 and 1073741824, got 100`},

	{"request-result-ttl", `"1h"`, "1h", ""},
	{"request-result-ttl", `"90s"`, "1m30s", ""},
	{"request-result-ttl", `"0s"`, nil, `jetstream.toml:1:22: request-result-ttl: must be between 1s and 720h0m0s, got 0s`},
	{"request-result-ttl", `"soon"`, nil, `jetstream.toml:1:22: request-result-ttl: expected a duration such as "30s" or "10m", got "soon"`},
	{"request-result-ttl", `600`, nil, `jetstream.toml:1:22: request-result-ttl: expected a duration string such as "30s" or "10m", got integer 600`},

	{"recv-port", `0`, 0, ""},
	{"recv-port", `65535`, 65535, ""},
	{"recv-port", `65536`, nil, `jetstream.toml:1:13: recv-port: must be between 1 and 65535 (or 0 for any free port), got 65536`},

	{"external-address", `"203.0.113.7:8886"`, "203.0.113.7:8886", ""},
	{"external-address", `"jet.example.com"`, "jet.example.com", ""},
	{"external-address", `"[2001:db8::1]:8886"`, "[2001:db8::1]:8886", ""},
	{"external-address", `"2001:db8::1"`, "2001:db8::1", ""},
	{"external-address", `":8886"`, nil, `jetstream.toml:1:20: external-address: must be host or host:port (IPv6 as [addr]:port), got ":8886"`},
	{"external-address", `"jet:0"`, nil, `jetstream.toml:1:20: external-address: port must be between 1 and 65535, got "0"`},
	{"external-address", `"a b:1"`, nil, `jetstream.toml:1:20: external-address: must be host or host:port, got "a b:1": bad host "a b"`},

	{"socket-buffer-bytes", `0`, 0, ""},
	{"socket-buffer-bytes", `1048576`, 1048576, ""},
	{"socket-buffer-bytes", `100`, nil, `jetstream.toml:1:23: socket-buffer-bytes: must be between 4096 and 1073741824 (or 0 for the OS default), got 100`},

	{"max-payload", `1200`, 1200, ""},
	{"max-payload", `65508`, nil, `jetstream.toml:1:15: max-payload: must be between 512 and 65507, got 65508`},

	{"checkpoint-frequency-seconds", `0`, 0, ""},
	{"checkpoint-frequency-seconds", `60`, 60, ""},
	{"checkpoint-frequency-seconds", `86401`, nil, `jetstream.toml:1:32: checkpoint-frequency-seconds: must be between 1 and 86400 (or 0 for no checkpoints), got 86401`},

	{"incoming-rate-limit", `100000`, 100000.0, ""},
	{"incoming-rate-limit", `1.5`, 1.5, ""},
	{"incoming-rate-limit", `"500M"`, 500000.0, ""},
	{"incoming-rate-limit", `""`, nil, `jetstream.toml:1:23: incoming-rate-limit: invalid rate "": empty; want kbit/s (e.g. 100000) or a number with a K, M, G or T suffix (e.g. 500M)`},
	{"incoming-rate-limit", `-1`, nil, `jetstream.toml:1:23: incoming-rate-limit: must be 0 (no limit) or a positive number of kbit/s, got -1`},
	{"incoming-rate-limit", `inf`, nil, `jetstream.toml:1:23: incoming-rate-limit: must be a finite number of kbit/s, got +Inf`},
	{"incoming-rate-limit", `nan`, nil, `jetstream.toml:1:23: incoming-rate-limit: must be a finite number of kbit/s, got NaN`},
	{"incoming-rate-limit", `true`, nil, `jetstream.toml:1:23: incoming-rate-limit: expected a number of kbit/s or a rate such as "500M", got boolean true`},
	{"outgoing-rate-limit", `"1G"`, 1e6, ""},
	{"outgoing-rate-limit", `2e12`, nil, `jetstream.toml:1:23: outgoing-rate-limit: must be at most 1000000000000 kbit/s, got 2000000000000`},

	{"borrow-incoming-rate", `true`, true, ""},
	{"borrow-outgoing-rate", `true`, true, ""},
	{"borrow-outgoing-rate", `1`, nil, `jetstream.toml:1:24: borrow-outgoing-rate: expected true or false, got integer 1`},

	{"persistent-state-dir", `"/srv/jetstream"`, "/srv/jetstream", ""},
	{"persistent-state-dir", `""`, nil, `jetstream.toml:1:24: persistent-state-dir: must be set to an absolute path`},
	{"persistent-state-dir", `"state"`, nil, `jetstream.toml:1:24: persistent-state-dir: must be an absolute path, got "state"`},
	{"persistent-state-dir", `"/a/../b"`, nil, `jetstream.toml:1:24: persistent-state-dir: must not contain "..", got "/a/../b"`},
	{"persistent-state-dir", `"/a\u0000b"`, nil, `jetstream.toml:1:24: persistent-state-dir: must not contain NUL bytes`},

	{"sandbox-dir", `""`, "", ""},
	{"sandbox-dir", `"/storage/%u"`, "/storage/%u", ""},
	{"sandbox-dir", `"/storage/%"`, nil, `jetstream.toml:1:15: sandbox-dir: unknown placeholder "%" in "/storage/%" (only %u, the user name, is supported)`},
	{"sandbox-dir", `"storage"`, nil, `jetstream.toml:1:15: sandbox-dir: must be an absolute path, got "storage"`},

	{"superuser", `["alice", "bob"]`, []any{"alice", "bob"}, ""},
	{"superuser", `[]`, []any{}, ""},
	{"superuser", `"alice"`, nil, `jetstream.toml:1:13: superuser: expected an array of strings, got string "alice"`},
	{"superuser", `["ok", ""]`, nil, `jetstream.toml:1:20: superuser: names must not be empty`},
	{"superuser", `["a,b"]`, nil, `jetstream.toml:1:14: superuser: "a,b" is not a valid user or group name (no blanks, commas or control characters)`},
	{"supergroup", `["wheel"]`, []any{"wheel"}, ""},
	{"supergroup", `["wheel", 1]`, nil, `jetstream.toml:1:24: supergroup: expected a string, got integer 1`},

	{"trigger-dir", `"/srv/triggers"`, "/srv/triggers", ""},
	{"trigger-dir", `"triggers"`, nil, `jetstream.toml:1:15: trigger-dir: must be an absolute path, got "triggers"`},

	{"trigger-log", `""`, "", ""},
	{"trigger-log", `"/var/log/jetstream/triggers.log"`, "/var/log/jetstream/triggers.log", ""},
	{"trigger-log", `"t.log"`, nil, `jetstream.toml:1:15: trigger-log: must be an absolute path, got "t.log"`},

	{"trigger-on-api", `true`, true, ""},

	{"trigger-timeout", `"0s"`, "0s", ""},
	{"trigger-timeout", `"5m"`, "5m", ""},
	{"trigger-timeout", `"500ms"`, nil, `jetstream.toml:1:19: trigger-timeout: must be between 1s and 168h0m0s (or 0 for no limit), got 500ms`},

	{"gc-interval-seconds", `60`, 60, ""},
	{"gc-interval-seconds", `0`, nil, `jetstream.toml:1:23: gc-interval-seconds: must be between 1 and 315360000, got 0`},
	{"gc-time-limit-seconds", `1`, 1, ""},
	{"gc-time-limit-seconds", `315360001`, nil, `jetstream.toml:1:25: gc-time-limit-seconds: must be between 1 and 315360000, got 315360001`},

	{"log", `""`, "", ""},
	{"log", `"/var/log/jetstream.log"`, "/var/log/jetstream.log", ""},
	{"log", `"jetstream.log"`, nil, `jetstream.toml:1:7: log: must be an absolute path, got "jetstream.log"`},

	{"log-level", `"debug"`, "debug", ""},
	{"log-level", `"warning"`, nil, `jetstream.toml:1:13: log-level: must be debug, info, warn or error, got "warning" (did you mean "warn"?)`},
	{"log-level", `"INFO"`, nil, `jetstream.toml:1:13: log-level: must be debug, info, warn or error, got "INFO" (did you mean "info"?)`},

	{"disable-telemetry", `true`, true, ""},
	{"disable-telemetry", `1`, nil, `jetstream.toml:1:21: disable-telemetry: expected true or false, got integer 1`},
}

func TestParseEveryKey(t *testing.T) {
	for _, tc := range keyCases {
		t.Run(tc.key+"="+tc.value, func(t *testing.T) {
			f, err := Parse("jetstream.toml", []byte(tc.key+" = "+tc.value+"\n"))
			if tc.err != "" {
				if err == nil {
					t.Fatalf("no error, want %q", tc.err)
				}
				if err.Error() != tc.err {
					t.Fatalf("error\n got %q\nwant %q", err, tc.err)
				}
				var fe *FileError
				if !errors.As(err, &fe) || fe.Line != 1 {
					t.Fatalf("error %T is not a *FileError on line 1", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			got, line, ok := f.Lookup(tc.key)
			if !ok || line != 1 || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Lookup = %#v, %d, %v; want %#v, 1, true", got, line, ok, tc.want)
			}
			// The value reaches the Server through Apply.
			var s Server
			if err := f.Apply(&s); err != nil {
				t.Fatal(err)
			}
			if err := specByName[tc.key].check(&s); err != nil {
				t.Fatalf("applied value does not validate: %v", err)
			}
		})
	}
}

// Every key has at least one good and one bad case above, except booleans
// whose only bad values are wrong types (covered for some of them).
func TestKeyCasesCoverEveryKey(t *testing.T) {
	good, bad := map[string]bool{}, map[string]bool{}
	for _, tc := range keyCases {
		if tc.err == "" {
			good[tc.key] = true
		} else {
			bad[tc.key] = true
		}
	}
	for _, k := range Keys() {
		if !good[k.Name] {
			t.Errorf("no good value tested for %s", k.Name)
		}
		if !bad[k.Name] && k.Kind != KindBool {
			t.Errorf("no bad value tested for %s", k.Name)
		}
	}
}

func TestParseUnknownKeys(t *testing.T) {
	tests := []struct{ src, err string }{
		{"api-port = 1\n\n\n\n\n\napi-prot = 8886\n", `jetstream.toml:7:1: unknown key "api-prot" (did you mean "api-port"?)`},
		{"api_port = 1\n", `jetstream.toml:1:1: unknown key "api_port" (did you mean "api-port"?)`},
		{"apiPort = 1\n", `jetstream.toml:1:1: unknown key "apiPort" (did you mean "api-port"?)`},
		{"  recv-prot = 1\n", `jetstream.toml:1:3: unknown key "recv-prot" (did you mean "recv-port"?)`},
		{"loglevel = \"info\"\n", `jetstream.toml:1:1: unknown key "loglevel" (did you mean "log-level"?)`},
		{"colour = \"blue\"\n", `jetstream.toml:1:1: unknown key "colour"`},
		{"\"api port\" = 1\n", `jetstream.toml:1:1: unknown key "api port" (did you mean "api-port"?)`},
		{"[api]\nport = 1\n", `jetstream.toml:1:2: unknown table "api": the server file has no tables, only top-level keys such as api-port`},
		{"x.y = 1\n", `jetstream.toml:1:1: unknown table "x": the server file has no tables, only top-level keys such as api-port`},
		// All problems are reported, in file order, one per line.
		{"log-levle = \"info\"\napi-port = \"x\"\nfoo = 1\n",
			"jetstream.toml:1:1: unknown key \"log-levle\" (did you mean \"log-level\"?)\n" +
				"jetstream.toml:2:12: api-port: expected an integer, got string \"x\"\n" +
				"jetstream.toml:3:1: unknown key \"foo\""},
	}
	for _, tc := range tests {
		_, err := Parse("jetstream.toml", []byte(tc.src))
		if err == nil || err.Error() != tc.err {
			t.Errorf("Parse(%q)\n got %v\nwant %s", tc.src, err, tc.err)
		}
	}
}

func TestParseSyntaxErrors(t *testing.T) {
	tests := []struct{ src, err string }{
		{"api-port = ", "jetstream.toml:1:11: expected value, not end of input"},
		{"api-port = 1\napi-port = 2\n", "jetstream.toml:2:1: key api-port is already defined"},
		{"api-port 1\n", "jetstream.toml:1:10: expected '=' after key"},
		{"log = \"a\xffb\"\n", "jetstream.toml:1:9: invalid UTF-8 character in basic string"},
	}
	for _, tc := range tests {
		_, err := Parse("jetstream.toml", []byte(tc.src))
		var fe *FileError
		if err == nil || !errors.As(err, &fe) {
			t.Errorf("Parse(%q) = %v, want a *FileError", tc.src, err)
			continue
		}
		if err.Error() != tc.err {
			t.Errorf("Parse(%q)\n got %v\nwant %s", tc.src, err, tc.err)
		}
	}
}

func TestParseForms(t *testing.T) {
	// Comments, CRLF line ends, a byte-order mark, literal strings and
	// multi-line arrays are all fine.
	src := "\ufeff# comment\r\napi-port = 9000 # trailing\r\nsandbox-dir = '/data/%u'\r\n" +
		"superuser = [\r\n  \"alice\", # first\r\n  \"bob\",\r\n]\r\n"
	f, err := Parse("jetstream.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Names(); !reflect.DeepEqual(got, []string{"api-port", "sandbox-dir", "superuser"}) {
		t.Fatalf("Names = %v", got)
	}
	if _, line, _ := f.Lookup("superuser"); line != 4 {
		t.Fatalf("superuser on line %d, want 4", line)
	}
	if _, _, ok := f.Lookup("recv-port"); ok {
		t.Fatal("Lookup of an unset key reported ok")
	}
	if _, _, ok := (*File)(nil).Lookup("api-port"); ok {
		t.Fatal("Lookup on a nil File reported ok")
	}
	// A bad element in a multi-line array is pointed at.
	_, err = Parse("jetstream.toml", []byte("superuser = [\n  \"alice\",\n  \"b c\",\n]\n"))
	want := `jetstream.toml:3:3: superuser: "b c" is not a valid user or group name (no blanks, commas or control characters)`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}

func TestParseManyProblems(t *testing.T) {
	var b strings.Builder
	for i := range 25 {
		fmt.Fprintf(&b, "unknown-%02d = %d\n", i, i)
	}
	_, err := Parse("jetstream.toml", []byte(b.String()))
	lines := strings.Split(fmt.Sprint(err), "\n")
	if len(lines) != maxProblems+1 {
		t.Fatalf("%d lines reported, want %d", len(lines), maxProblems+1)
	}
	if want := `jetstream.toml:20:1: unknown key "unknown-19"`; lines[maxProblems-1] != want {
		t.Fatalf("last problem %q, want %q", lines[maxProblems-1], want)
	}
	if want := "jetstream.toml:20:1: and 5 more problems not shown"; lines[maxProblems] != want {
		t.Fatalf("summary %q, want %q", lines[maxProblems], want)
	}
}

func TestApplyDoesNotShareLists(t *testing.T) {
	f, err := Parse("x", []byte(`superuser = ["alice"]`))
	if err != nil {
		t.Fatal(err)
	}
	var a, b Server
	if err := f.Apply(&a); err != nil {
		t.Fatal(err)
	}
	a.Superuser[0] = "mallory"
	if err := f.Apply(&b); err != nil {
		t.Fatal(err)
	}
	if b.Superuser[0] != "alice" {
		t.Fatalf("Apply shares the list: got %q", b.Superuser[0])
	}
	if err := f.Apply(nil); err == nil {
		t.Fatal("Apply(nil) succeeded")
	}
	if err := (*File)(nil).Apply(&a); err != nil {
		t.Fatalf("nil File Apply: %v", err)
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "jetstream.toml")
	if err := os.WriteFile(path, []byte("api-port = 9000\napi-prot = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadFile(path)
	want := path + `:2:1: unknown key "api-prot" (did you mean "api-port"?)`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}

	if err := os.WriteFile(path, []byte("api-port = 9000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name() != path {
		t.Fatalf("Name = %q", f.Name())
	}

	_, err = LoadFile(filepath.Join(dir, "missing.toml"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing file: %v, want fs.ErrNotExist", err)
	}

	big := filepath.Join(dir, "big.toml")
	if err := os.WriteFile(big, []byte("# "+strings.Repeat("x", maxFileBytes)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = LoadFile(big)
	if err == nil || !strings.Contains(err.Error(), "larger than the limit of 262144 bytes") {
		t.Fatalf("big file: %v", err)
	}
}
