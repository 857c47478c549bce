package triggers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestForAPICallGolden pins the four arguments of on.<command> triggers.
func TestForAPICallGolden(t *testing.T) {
	big := `{"fileMappings":{` + strings.Repeat(`"/src/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa":"/dst/b",`, 2000) + `"/z":"/z"}}`
	for _, tc := range []struct {
		name            string
		command         string
		params          string
		status, message string
		result          string
	}{
		// The product's documented example (reference/004, API Command Triggers).
		{"send.createManifest", "send.createManifest", `{"fileMappings": {"/src/foo.txt": "/dst/bar.txt"}}`,
			"success", "Manifest requested.",
			`{"status": "pending", "processing": true, "manifestId": "ebec4994ea77a55c0100000000000022", "totalFiles": null, "totalSize": null, "errorMessage": null}`},
		{"echo", "echo", `{"text":"hi <there> & \"you\""}`, "success", "OK", `"hi <there> & \"you\""`},
		{"echo-no-params", "echo", ``, "success", "OK", `null`},
		{"auth-redacted", "auth", `{"userName":"alice","password":"s3cret"}`, "error", "authentication failed", ``},
		{"createDestination-redacted", "send.createDestination",
			`{"destinationAddress":"10.0.0.2:8886","userName":"bob","password":"pw","destinationPublicKey":"ed25519:AAA","userData":{"dbPassword":{"nested":1},"note":"x"}}`,
			"success", "OK", `{"destinationId":"d1","password":null}`},
		{"createTicket-key-redacted", "recv.createTicket", `{"transferKey":"k1","destinationPath":"/in"}`,
			"success", "OK", `{"conv":7,"cipher":2,"key":"c2VjcmV0a2V5","transferKey":"k1","recvPort":8886,"serverUid":"u"}`},
		{"setLicenseKey-redacted", "setLicenseKeyAsync", `{"key":"LIC-123"}`, "success", "OK", `{"requestId":3}`},
		{"big-numbers-kept", "getEventLog", `{"after":1700000000000000123,"limit":1e3}`, "success", "OK", `{"eventLog":[]}`},
		{"oversized-params", "send.createManifest", big, "success", "OK", `{"requestId":1}`},
		{"nul-in-message", "echo", `{}`, "error", "bad\x00byte", ``},
		{"malformed-json", "echo", `{"text":`, "error", "bad request", `[1,`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, ok := ForAPICall(tc.command, json.RawMessage(tc.params), tc.status, tc.message, json.RawMessage(tc.result))
			if !ok {
				t.Fatal("not ok")
			}
			if c.Name != "on."+tc.command || len(c.Args) != 4 || c.Stdin != nil {
				t.Fatalf("call %q", c)
			}
			for i, a := range c.Args {
				if strings.ContainsRune(a, 0) {
					t.Errorf("$%d has a NUL byte", i+1)
				}
				if i != 1 && i != 2 && !json.Valid([]byte(a)) {
					t.Errorf("$%d is not JSON: %s", i+1, a)
				}
				if len(a) > MaxJSONArg+200 {
					t.Errorf("$%d is %d bytes", i+1, len(a))
				}
			}
			for _, secret := range []string{"s3cret", `"pw"`, "c2VjcmV0a2V5", "LIC-123", `"nested"`} {
				if strings.Contains(strings.Join(c.Args, " "), secret) {
					t.Errorf("secret %s leaked: %q", secret, c.Args)
				}
			}
			var b bytes.Buffer
			for i, a := range c.Args {
				fmt.Fprintf(&b, "$%d %s\n", i+1, a)
			}
			golden(t, "apicall/"+tc.name+".golden", b.Bytes())
		})
	}
}

func TestForAPICallRefusesBadNames(t *testing.T) {
	for _, name := range []string{"", "../../bin/sh", "a/b", "x y", strings.Repeat("a", 300)} {
		if c, ok := ForAPICall(name, nil, "success", "", nil); ok {
			t.Errorf("ForAPICall(%q) = %q, want refusal", name, c.Name)
		}
	}
}

func TestRedactJSON(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{}`, `{}`},
		{` [ 1 , 2.50 , -3e2 ] `, `[1,2.50,-3e2]`},
		{`{"b":1,"a":2}`, `{"b":1,"a":2}`},
		{`{"password":"x","Password":{"a":[1,{"b":2}]},"newPassword":null,"after":1}`,
			`{"password":"********","Password":"********","newPassword":"********","after":1}`},
		{`[{"key":"k","transferKey":"t","publicKey":"p","clientSecret":"s","sshPrivateKey":"z"}]`,
			`[{"key":"********","transferKey":"t","publicKey":"p","clientSecret":"********","sshPrivateKey":"********"}]`},
		{`{"a":{"b":{"password":[[[]]]}},"c":[{"d":"e"}]}`, `{"a":{"b":{"password":"********"}},"c":[{"d":"e"}]}`},
		{`"<&>"`, `"<&>"`},
		{`"\u003c"`, `"<"`},
		{`null`, `null`},
		{`true`, `true`},
	} {
		got, err := redactJSON([]byte(tc.in))
		if err != nil || string(got) != tc.want {
			t.Errorf("redactJSON(%s) = %s, %v; want %s", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{``, `{`, `{"a"}`, `{"a":1,}`, `[1 2]`, `1 2`, `{"password":`, `{"password":[1,}`, `{1:2}`, `nul`} {
		if got, err := redactJSON([]byte(bad)); err == nil {
			t.Errorf("redactJSON(%q) = %s, want error", bad, got)
		}
	}
}

// FuzzRedactJSON: redaction accepts exactly valid JSON, keeps it valid,
// leaves documents without secrets unchanged in meaning and removes every
// secret.
func FuzzRedactJSON(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, `{"password":"x"}`, `{"a":[1,{"key":{"b":[]}}],"c":"d"}`,
		`{"a":1e400}`, `"\ud800"`, `[1,2,3]`, `{"a":{"a":{"a":{}}}}`, ` null `, `{"a":1}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := redactJSON(in)
		if (err == nil) != json.Valid(in) {
			t.Fatalf("redactJSON(%q) err=%v but json.Valid=%v", in, err, json.Valid(in))
		}
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("output %q is not JSON", out)
		}
		var a, b any
		if err := decodeNumbers(out, &b); err != nil {
			t.Fatal(err)
		}
		if err := decodeNumbers(in, &a); err != nil {
			t.Fatal(err)
		}
		if !hasSecrets(a) && !reflect.DeepEqual(a, b) {
			t.Fatalf("changed a document without secrets: %s → %s", in, out)
		}
		if hasSecrets(b) {
			t.Fatalf("secret left in %s", out)
		}
	})
}

func decodeNumbers(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d.Decode(v)
}

// hasSecrets reports a sensitive key whose value is not Redacted.
func hasSecrets(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if sensitiveKey(k) && e != Redacted {
				return true
			}
			if hasSecrets(e) {
				return true
			}
		}
	case []any:
		for _, e := range v {
			if hasSecrets(e) {
				return true
			}
		}
	}
	return false
}

// FuzzForAPICall: any parameters and result give four exec-safe arguments,
// $1 and $4 valid JSON.
func FuzzForAPICall(f *testing.F) {
	f.Add("echo", []byte(`{"text":"x"}`), "success", "OK", []byte(`"x"`))
	f.Add("auth", []byte(`{"password":"p"}`), "error", "no", []byte(nil))
	f.Add("send.createManifest", []byte(`{"fileMappings":{"/a":"/b"}}`), "success", "Manifest requested.", []byte(`{"manifestId":"m"}`))
	f.Fuzz(func(t *testing.T, command string, params []byte, status, message string, result []byte) {
		c, ok := ForAPICall(command, params, status, message, result)
		if !ok {
			if command != "" && ValidName(APIPrefix+command) {
				t.Fatalf("refused valid command %q", command)
			}
			return
		}
		if len(c.Args) != 4 || !ValidName(c.Name) {
			t.Fatalf("call %q", c)
		}
		for i, a := range c.Args {
			if strings.IndexByte(a, 0) >= 0 {
				t.Fatalf("NUL in $%d", i+1)
			}
		}
		var cmd struct {
			Request    string          `json:"request"`
			Parameters json.RawMessage `json:"parameters"`
		}
		if err := json.Unmarshal([]byte(c.Args[0]), &cmd); err != nil || cmd.Request != command {
			t.Fatalf("$1 %q: %v", c.Args[0], err)
		}
		if !json.Valid([]byte(c.Args[3])) {
			t.Fatalf("$4 %q is not JSON", c.Args[3])
		}
	})
}

func TestValidName(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"launch", true}, {"recv.transferComplete.json", true}, {"on.send.createTransfer", true}, {"on.echo", true},
		{"a_b-c.9", true}, {strings.Repeat("a", MaxNameLen), true},
		{"", false}, {".", false}, {"..", false}, {".hidden", false}, {"9lives", false}, {"-x", false},
		{"a/b", false}, {`a\b`, false}, {"a b", false}, {"a\x00", false}, {"é", false}, {"on.", true},
		{strings.Repeat("a", MaxNameLen+1), false},
	} {
		if got := ValidName(tc.name); got != tc.ok {
			t.Errorf("ValidName(%q) = %v, want %v", tc.name, got, tc.ok)
		}
	}
}

func FuzzValidName(f *testing.F) {
	for _, s := range []string{"launch", "on.echo", "../x", "a/b", ".", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if !ValidName(name) {
			return
		}
		if strings.ContainsAny(name, "/\\\x00") || name == "." || name == ".." || len(name) > MaxNameLen {
			t.Fatalf("ValidName accepted %q", name)
		}
	})
}
