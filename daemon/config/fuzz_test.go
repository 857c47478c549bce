package config

import (
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"
)

// fileErrorLine matches one reported problem.
var fileErrorLine = regexp.MustCompile(`^fuzz\.toml:([1-9][0-9]*):([1-9][0-9]*): .+$`)

// checkFileErrors asserts that err reports problems as file:line:col lines
// inside the document.
func checkFileErrors(t *testing.T, data []byte, err error) {
	t.Helper()
	lines := strings.Count(string(data), "\n") + 1
	for _, l := range strings.Split(err.Error(), "\n") {
		m := fileErrorLine.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("malformed error line %q", l)
		}
		if n, _ := strconv.Atoi(m[1]); n > lines {
			t.Fatalf("error on line %d of a %d-line document: %q", n, lines, l)
		}
	}
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte(Template()))
	f.Add([]byte("api-port = 9000\nsuperuser = [\"a\", \"b\"]\ntrigger-timeout = \"1m\"\nincoming-rate-limit = \"5M\"\n"))
	f.Add([]byte("api-prot = 1\n[api]\nport = 2\nx.y = { z = [1, [2]] }\n"))
	f.Add([]byte("supergroup = [\n  \"wheel\", # c\n  3,\n]\nlog = '/var/log/x'\n"))
	f.Add([]byte("a = 1\na = 2\n"))
	f.Add([]byte("\ufeffapi-host = \"::1\"\r\nrecv-port = 0x10\r\n"))
	f.Add([]byte("[[t]]\n[[t]]\nk = 1979-05-27T07:32:00Z\n"))
	for _, tc := range keyCases {
		f.Add([]byte(tc.key + " = " + tc.value + "\n"))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("fuzz.toml", data)
		if err != nil {
			checkFileErrors(t, data, err)
			return
		}
		// A file that loads cleanly yields a valid configuration.
		s := defaults(rootEnv)
		if err := file.Apply(&s); err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("accepted file gives an invalid config: %v", err)
		}
		for _, k := range file.Names() {
			if _, line, ok := file.Lookup(k); !ok || line < 1 {
				t.Fatalf("Lookup(%q) = line %d, %v", k, line, ok)
			}
		}
	})
}

func FuzzParseClient(f *testing.F) {
	f.Add([]byte("[hosts.lab]\naddress = \"lab\"\napi-port = 9886\nrate = \"500M\"\nmin-rate = 1000\ncipher = \"aes256\"\n"))
	f.Add([]byte("[hosts]\nlab = { user = \"ann\", policy = \"low\" }\n\"x y\" = {}\n"))
	f.Add([]byte("hosts = []\n[host.lab]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseClient("fuzz.toml", data)
		if err != nil {
			checkFileErrors(t, data, err)
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("accepted file gives an invalid config: %v", err)
		}
		// What Save writes reads back to the same profiles.
		again, err := ParseClient("fuzz.toml", c.encode())
		if err != nil {
			t.Fatalf("re-reading the encoded config: %v\n%s", err, c.encode())
		}
		if !reflect.DeepEqual(again, c) {
			t.Fatalf("round trip\n got %#v\nwant %#v", again, c)
		}
	})
}

func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"100000", "500M", "1.5G", "2T", "64000bps", "500 Mbit/s", "", "-1", "1e9", "500MB", ".", "9999999999999999999999G", "0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRate(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "invalid rate ") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q", err)
			}
			return
		}
		if math.IsNaN(r) || r < 0 || r > MaxRate {
			t.Fatalf("ParseRate(%q) = %v", s, r)
		}
		// A plain decimal number is kbit/s.
		if n, perr := strconv.ParseFloat(strings.TrimSpace(s), 64); perr == nil && !strings.ContainsAny(s, "eEinxXpP_+") {
			if want := n * 1000; r != want {
				t.Fatalf("ParseRate(%q) = %v, want %v", s, r, want)
			}
		}
		// Parsing is deterministic.
		if r2, err2 := ParseRate(s); err2 != nil || r2 != r {
			t.Fatal("not deterministic")
		}
	})
}

func FuzzQuoteTOML(f *testing.F) {
	for _, s := range []string{"", "plain", `q"uo\te`, "tab\tnl\nnul\x00del\x7f", "ünï", "\u2028", "a.b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		var m map[string]any
		doc := tomlKey(s) + " = " + quoteTOML(s) + "\n"
		if err := toml.Unmarshal([]byte(doc), &m); err != nil {
			t.Fatalf("%q does not parse: %v", doc, err)
		}
		if len(m) != 1 || m[s] != s {
			t.Fatalf("%q decodes to %#v", doc, m)
		}
	})
}

func FuzzApplyEnv(f *testing.F) {
	f.Add("API_PORT", "9000")
	f.Add("SUPERUSER", "a,b ,,c")
	f.Add("INCOMING_RATE_LIMIT", "1.5G")
	f.Add("TRIGGER_TIMEOUT", "-3s")
	f.Add("LOG", "/x")
	f.Fuzz(func(t *testing.T, name, value string) {
		if strings.Contains(name, "=") {
			return // the name would end at the first '='
		}
		s := defaults(rootEnv)
		err := ApplyEnv(&s, []string{EnvPrefix + name + "=" + value})
		if err != nil {
			if !reflect.DeepEqual(s, rootDefaults) {
				t.Fatal("failed ApplyEnv changed the config")
			}
			if !strings.HasPrefix(err.Error(), EnvPrefix+name+": ") {
				t.Fatalf("error %q does not name the variable", err)
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("accepted %s=%q gives an invalid config: %v", name, value, err)
		}
	})
}
