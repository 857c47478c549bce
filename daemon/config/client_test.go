package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestLoadClientMissingIsEmpty(t *testing.T) {
	c, err := LoadClient(filepath.Join(t.TempDir(), "none", "config.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Hosts == nil || len(c.Hosts) != 0 {
		t.Fatalf("Hosts = %#v, want an empty map", c.Hosts)
	}
	if _, err := LoadClient(""); err == nil {
		t.Fatal("LoadClient(\"\") succeeded")
	}
}

func TestParseClient(t *testing.T) {
	src := `
# lab machines
[hosts.lab]
address = "lab.example.com"
api-port = 9886
user = "ann"
rate = "500M"
min-rate = 100000
cipher = "aes256"
policy = "fair"

[hosts."eu.west"]
address = "2001:db8::7"

[hosts]
bare = {}
`
	c, err := ParseClient("config.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]HostProfile{
		"lab": {Address: "lab.example.com", APIPort: 9886, User: "ann", Rate: "500M", MinRate: "100000",
			Cipher: "aes256", Policy: "fair"},
		"eu.west": {Address: "2001:db8::7"},
		"bare":    {},
	}
	if !reflect.DeepEqual(c.Hosts, want) {
		t.Fatalf("got  %#v\nwant %#v", c.Hosts, want)
	}
}

func TestParseClientErrors(t *testing.T) {
	tests := []struct{ src, err string }{
		{"[host.lab]\n", `config.toml:1:2: unknown key "host" (did you mean "hosts"?)`},
		{"hosts = 3\n", `config.toml:1:9: hosts: expected a table of profiles ([hosts.NAME]), got integer 3`},
		{"[hosts]\nlab = \"x\"\n", `config.toml:2:7: hosts.lab: expected a table of profile keys, got string "x"`},
		{"[hosts.lab]\nadress = \"x\"\n", `config.toml:2:1: unknown key "adress" in [hosts.lab] (did you mean "address"?)`},
		{"[hosts.lab]\naddress = \"lab:22\"\n",
			`config.toml:2:11: hosts.lab.address: must be a host name or IP address without a port (set the port with api-port), got "lab:22"`},
		{"[hosts.lab]\naddress = 7\n", `config.toml:2:11: hosts.lab.address: expected a string, got integer 7`},
		{"[hosts.lab]\napi-port = 65536\n", `config.toml:2:12: hosts.lab.api-port: must be between 1 and 65535 (or 0 for 8886), got 65536`},
		{"[hosts.lab]\napi-port = \"22\"\n", `config.toml:2:12: hosts.lab.api-port: expected an integer, got string "22"`},
		{"[hosts.lab]\nuser = \"a b\"\n", `config.toml:2:8: hosts.lab.user: "a b" is not a valid user name (no blanks or control characters)`},
		{"[hosts.lab]\nrate = \"fast\"\n",
			`config.toml:2:8: hosts.lab.rate: invalid rate "fast": want kbit/s (e.g. 100000) or a number with a K, M, G or T suffix (e.g. 500M)`},
		{"[hosts.lab]\nrate = true\n", `config.toml:2:8: hosts.lab.rate: expected a string, got boolean true`},
		{"[hosts.lab]\nrate = \"100M\"\nmin-rate = \"200M\"\n", `config.toml:3:12: hosts.lab.min-rate: "200M" is above rate "100M"`},
		{"[hosts.lab]\ncipher = \"aes\"\n", `config.toml:2:10: hosts.lab.cipher: must be none, auth, aes128 or aes256, got "aes" (did you mean "aes128"?)`},
		{"[hosts.lab]\ncipher = \"AES256\"\n", `config.toml:2:10: hosts.lab.cipher: must be none, auth, aes128 or aes256, got "AES256" (did you mean "aes256"?)`},
		{"[hosts.lab]\npolicy = \"fast\"\n", `config.toml:2:10: hosts.lab.policy: must be fixed, fair or low, got "fast"`},
		{"[hosts.\"a b\"]\n", `config.toml:1:8: hosts."a b": profile name "a b" must be 1 to 64 letters, digits, '.', '_' or '-'`},
		{"[hosts.lab]\nuser = \"ann\"\n[hosts.lab]\n", `config.toml:3:2: table lab already exists`},
		{"[hosts.a]\nrate = \"x\"\n[hosts.b]\nratee = \"1\"\n",
			"config.toml:2:8: hosts.a.rate: invalid rate \"x\": want kbit/s (e.g. 100000) or a number with a K, M, G or T suffix (e.g. 500M)\n" +
				"config.toml:4:1: unknown key \"ratee\" in [hosts.b] (did you mean \"rate\"?)"},
	}
	for _, tc := range tests {
		_, err := ParseClient("config.toml", []byte(tc.src))
		if err == nil || err.Error() != tc.err {
			t.Errorf("ParseClient(%q)\n got %v\nwant %s", tc.src, err, tc.err)
		}
	}
}

func TestClientSaveRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "jetstream")
	path := filepath.Join(dir, "config.toml")
	c := &Client{Hosts: map[string]HostProfile{
		"lab":     {Address: "lab.example.com", APIPort: 9886, User: "ann", Rate: "500M", MinRate: "10M", Cipher: "aes128", Policy: "low"},
		"eu.west": {Address: "203.0.113.9", User: "ünïcode"},
		"bare":    {},
	}}
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := LoadClient(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, c) {
		t.Fatalf("round trip\n got %#v\nwant %#v", got, c)
	}
	for p, mode := range map[string]os.FileMode{path: 0o600, dir: 0o700 | os.ModeDir} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != mode {
			t.Errorf("%s: mode %v, want %v", p, fi.Mode(), mode)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "client.toml.golden", string(data))

	// Saving again replaces the file and leaves no temporary files behind.
	delete(c.Hosts, "bare")
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "config.toml" {
		t.Fatalf("directory holds %v", entries)
	}
	if got, err := LoadClient(path); err != nil || len(got.Hosts) != 2 {
		t.Fatalf("after second save: %v, %v", got, err)
	}
}

func TestClientSaveRefusesInvalid(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte("# keep me\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := &Client{Hosts: map[string]HostProfile{
		"lab":  {Cipher: "rot13", Rate: "1M", MinRate: "2M"},
		"a:b":  {},
		"good": {APIPort: -1},
	}}
	err := c.Save(path)
	want := "not saving an invalid client configuration:\n" +
		`hosts."a:b": profile name "a:b" must be 1 to 64 letters, digits, '.', '_' or '-'` + "\n" +
		"hosts.good.api-port: must be between 1 and 65535 (or 0 for 8886), got -1\n" +
		`hosts.lab.cipher: must be none, auth, aes128 or aes256, got "rot13"` + "\n" +
		`hosts.lab.min-rate: "2M" is above rate "1M"`
	if err == nil || err.Error() != want {
		t.Fatalf("got  %v\nwant %s", err, want)
	}
	if data, _ := os.ReadFile(path); string(data) != "# keep me\n" {
		t.Fatalf("invalid Save touched the file: %q", data)
	}
	if err := (&Client{}).Save(""); err == nil {
		t.Fatal("Save(\"\") succeeded")
	}
}

func TestClientSaveFailureLeavesNoTemp(t *testing.T) {
	dir := t.TempDir()
	// The target is a non-empty directory, so the final rename fails.
	path := filepath.Join(dir, "config.toml")
	if err := os.MkdirAll(filepath.Join(path, "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	err := (&Client{}).Save(path)
	if err == nil || !strings.HasPrefix(err.Error(), "saving "+path+": ") {
		t.Fatalf("Save over a directory: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("temporary file left behind: %v", entries)
	}
}

func TestEmptyClientSave(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	for _, c := range []*Client{{}, nil} {
		if err := c.Save(path); err != nil {
			t.Fatal(err)
		}
		got, err := LoadClient(path)
		if err != nil || len(got.Hosts) != 0 {
			t.Fatalf("empty round trip: %v, %v", got, err)
		}
	}
}

func TestHostProfileHelpers(t *testing.T) {
	p := HostProfile{}.WithDefaults("lab")
	if p.Address != "lab" || p.APIPort != DefaultAPIPort {
		t.Fatalf("WithDefaults = %+v", p)
	}
	p = HostProfile{Address: "x", APIPort: 1}.WithDefaults("lab")
	if p.Address != "x" || p.APIPort != 1 {
		t.Fatalf("WithDefaults overrode set fields: %+v", p)
	}
	for name, want := range map[string]int{"none": 0, "auth": 1, "aes128": 2, "aes256": 3} {
		if got, ok := CipherLevel(name); !ok || got != want {
			t.Errorf("CipherLevel(%q) = %d, %v", name, got, ok)
		}
	}
	if _, ok := CipherLevel("aes"); ok {
		t.Error("CipherLevel(aes) ok")
	}
}

func TestHostProfileTagsMatchFields(t *testing.T) {
	typ := reflect.TypeOf(HostProfile{})
	if typ.NumField() != len(hostFields) {
		t.Fatalf("%d fields, %d keys", typ.NumField(), len(hostFields))
	}
	for i := 0; i < typ.NumField(); i++ {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("toml"), ",")
		if hostFields[i].name != name {
			t.Errorf("field %s has tag %q, key %d is %q", typ.Field(i).Name, name, i, hostFields[i].name)
		}
	}
	var target *FileError
	_, err := ParseClient("c", []byte("[hosts.x]\nuser = 1\n"))
	if !errors.As(err, &target) || target.Line != 2 || target.Column != 8 {
		t.Fatalf("error position: %#v", target)
	}
}
