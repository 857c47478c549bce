package config

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// Every Server field has exactly one key, named by its toml tag, and every
// key reads and writes its own field.
func TestKeysMatchFields(t *testing.T) {
	typ := reflect.TypeOf(Server{})
	if typ.NumField() != len(specs) {
		t.Fatalf("%d fields, %d keys", typ.NumField(), len(specs))
	}
	seen := map[string]bool{}
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		tag := f.Tag.Get("toml")
		sp, ok := specByName[tag]
		if !ok {
			t.Errorf("field %s: tag %q is not a key", f.Name, tag)
			continue
		}
		seen[tag] = true
		// Writing the key must change this field only.
		var s Server
		sp.set(&s, sampleValue(sp.Kind))
		v := reflect.ValueOf(s)
		for j := 0; j < typ.NumField(); j++ {
			if v.Field(j).IsZero() != (j != i) {
				t.Errorf("key %s sets field %s", tag, typ.Field(j).Name)
			}
		}
		if want := envName(tag); sp.Env != want || !strings.HasPrefix(want, EnvPrefix) {
			t.Errorf("%s: env %s", tag, sp.Env)
		}
	}
	if len(seen) != len(specs) {
		t.Errorf("keys without a field: %d of %d matched", len(seen), len(specs))
	}
}

// sampleValue is a non-zero field value for a kind.
func sampleValue(k Kind) any {
	switch k {
	case KindBool:
		return true
	case KindInt:
		return 7
	case KindRate:
		return 5.0
	case KindDuration:
		return 3 * time.Second
	case KindStringList:
		return []string{"x"}
	}
	return "x"
}

func TestKeys(t *testing.T) {
	keys := Keys()
	if len(keys) != len(specs) {
		t.Fatal("Keys and specs differ")
	}
	for _, k := range keys {
		if k.Name == "" || k.Help == "" || k.Section == "" || k.Default == "" || k.Kind.String() == "invalid" {
			t.Errorf("incomplete key %+v", k)
		}
		if strings.Contains(k.Help, "\n") || len("# "+k.Help) > 80 {
			t.Errorf("%s: help must be one line of at most 78 bytes: %q", k.Name, k.Help)
		}
	}
	// Keys returns a copy.
	keys[0].Name = "changed"
	if Keys()[0].Name != "api-port" {
		t.Fatal("Keys exposes the table")
	}
	if Kind(0).String() != "invalid" {
		t.Fatal("zero Kind has a name")
	}
}

func TestDefault(t *testing.T) {
	d := defaults(rootEnv)
	checks := []struct {
		name      string
		got, want any
	}{
		{"api-port", d.APIPort, 8886},
		{"recv-port", d.RecvPort, 8886},
		{"api-host", d.APIHost, ""},
		{"api-allow-remote-control", d.APIAllowRemoteControl, true},
		{"persistent-state-dir", d.PersistentStateDir, "/var/lib/jetstream/state"},
		{"trigger-dir", d.TriggerDir, "/var/lib/jetstream/triggers"},
		{"gc-interval-seconds", d.GCIntervalSeconds, 3600},
		{"gc-time-limit-seconds", d.GCTimeLimitSeconds, 172800},
		{"request-result-ttl", d.RequestResultTTL, 10 * time.Minute},
		{"max-line-bytes", d.MaxLineBytes, 4 << 20},
		{"log-level", d.LogLevel, "info"},
		{"incoming-rate-limit", d.IncomingRateLimit, 0.0},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	// Default() is defaults() for this process.
	if got, want := Default(), defaults(currentEnv()); !reflect.DeepEqual(got, want) {
		t.Fatalf("Default() = %+v, want %+v", got, want)
	}
}

func TestDefaultDirs(t *testing.T) {
	tests := []struct {
		env            environment
		state, trigger string
	}{
		{environment{root: true, home: "/root", xdgState: "/x"}, "/var/lib/jetstream/state", "/var/lib/jetstream/triggers"},
		{environment{home: "/home/ann"}, "/home/ann/.local/state/jetstream", "/home/ann/.local/state/jetstream/triggers"},
		{environment{home: "/home/ann", xdgState: "/xdg/state"}, "/xdg/state/jetstream", "/xdg/state/jetstream/triggers"},
		{environment{home: "/home/ann", xdgState: "relative"}, "/home/ann/.local/state/jetstream", "/home/ann/.local/state/jetstream/triggers"},
		{environment{home: "relative"}, "", ""},
		{environment{}, "", ""},
	}
	for _, tc := range tests {
		if got := tc.env.stateDir(); got != tc.state {
			t.Errorf("%+v: state dir %q, want %q", tc.env, got, tc.state)
		}
		if got := tc.env.triggerDir(); got != tc.trigger {
			t.Errorf("%+v: trigger dir %q, want %q", tc.env, got, tc.trigger)
		}
	}
	// The exported functions read the real environment.
	t.Setenv("XDG_STATE_HOME", "/xdg-test")
	t.Setenv("HOME", "/home/test")
	e := currentEnv()
	if DefaultStateDir() != e.stateDir() || DefaultTriggerDir() != e.triggerDir() {
		t.Fatal("exported defaults differ from currentEnv")
	}
	if !e.root && DefaultStateDir() != "/xdg-test/jetstream" {
		t.Fatalf("DefaultStateDir() = %q", DefaultStateDir())
	}
	t.Setenv("XDG_CONFIG_HOME", "/cfg")
	if got := DefaultClientPath(); got != "/cfg/jetstream/config.toml" {
		t.Fatalf("DefaultClientPath() = %q", got)
	}
}
