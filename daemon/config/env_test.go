package config

import (
	"reflect"
	"testing"
	"time"
)

func TestApplyEnv(t *testing.T) {
	tests := []struct {
		name    string
		environ []string
		change  func(s *Server) // expected changes to rootDefaults
		err     string
	}{
		{"none", nil, func(*Server) {}, ""},
		{"port", []string{"JETSTREAM_API_PORT=9000"}, func(s *Server) { s.APIPort = 9000 }, ""},
		{"port blanks", []string{"JETSTREAM_RECV_PORT= 9001 "}, func(s *Server) { s.RecvPort = 9001 }, ""},
		{"bool forms", []string{"JETSTREAM_TRIGGER_ON_API=yes", "JETSTREAM_API_ALLOW_REMOTE_CONTROL=0", "JETSTREAM_DISABLE_TELEMETRY=TRUE"},
			func(s *Server) { s.TriggerOnAPI, s.APIAllowRemoteControl, s.DisableTelemetry = true, false, true }, ""},
		{"lists", []string{"JETSTREAM_SUPERUSER=alice, bob,,", "JETSTREAM_SUPERGROUP="},
			func(s *Server) { s.Superuser, s.Supergroup = []string{"alice", "bob"}, []string{} }, ""},
		{"rates", []string{"JETSTREAM_INCOMING_RATE_LIMIT=500M", "JETSTREAM_OUTGOING_RATE_LIMIT=2500"},
			func(s *Server) { s.IncomingRateLimit, s.OutgoingRateLimit = 500000, 2500 }, ""},
		{"durations", []string{"JETSTREAM_TRIGGER_TIMEOUT=90s", "JETSTREAM_REQUEST_RESULT_TTL=1h"},
			func(s *Server) { s.TriggerTimeout, s.RequestResultTTL = 90*time.Second, time.Hour }, ""},
		{"strings", []string{"JETSTREAM_SANDBOX_DIR=/storage/%u", "JETSTREAM_LOG=", "JETSTREAM_LOG_LEVEL=debug"},
			func(s *Server) { s.SandboxDir, s.LogLevel = "/storage/%u", "debug" }, ""},
		{"last one wins", []string{"JETSTREAM_API_PORT=1", "JETSTREAM_API_PORT=2"}, func(s *Server) { s.APIPort = 2 }, ""},
		{"others ignored", []string{"JETSTREAM_API_PASSWORD=secret", "JETSTREAM_API_PROT=1", "PATH=/bin", "JETSTREAM", "jetstream_api_port=1"},
			func(*Server) {}, ""},
		{"bad port", []string{"JETSTREAM_API_PORT=70000"}, nil,
			"JETSTREAM_API_PORT: must be between 1 and 65535 (or 0 for any free port), got 70000"},
		{"not a number", []string{"JETSTREAM_API_PORT=abc"}, nil, `JETSTREAM_API_PORT: expected an integer, got "abc"`},
		{"huge number", []string{"JETSTREAM_MAX_PAYLOAD=99999999999999999999"}, nil,
			`JETSTREAM_MAX_PAYLOAD: integer "99999999999999999999" is out of range`},
		{"bad bool", []string{"JETSTREAM_TRIGGER_LOG=/t.log", "JETSTREAM_TRIGGER_ON_API=maybe"}, nil,
			`JETSTREAM_TRIGGER_ON_API: expected true or false, got "maybe"`},
		{"empty bool", []string{"JETSTREAM_TRIGGER_ON_API="}, nil, `JETSTREAM_TRIGGER_ON_API: expected true or false, got ""`},
		{"bad list item", []string{"JETSTREAM_SUPERUSER=alice,b c"}, nil,
			`JETSTREAM_SUPERUSER: "b c" is not a valid user or group name (no blanks, commas or control characters)`},
		{"bad rate", []string{"JETSTREAM_INCOMING_RATE_LIMIT=fast"}, nil,
			`JETSTREAM_INCOMING_RATE_LIMIT: invalid rate "fast": want kbit/s (e.g. 100000) or a number with a K, M, G or T suffix (e.g. 500M)`},
		{"bad duration", []string{"JETSTREAM_TRIGGER_TIMEOUT=30"}, nil,
			`JETSTREAM_TRIGGER_TIMEOUT: expected a duration such as "30s" or "10m", got "30"`},
		{"all problems, sorted, nothing applied", []string{"JETSTREAM_RECV_PORT=-5", "JETSTREAM_API_PORT=9000", "JETSTREAM_LOG_LEVEL=loud"}, nil,
			"JETSTREAM_LOG_LEVEL: must be debug, info, warn or error, got \"loud\"\n" +
				"JETSTREAM_RECV_PORT: must be between 1 and 65535 (or 0 for any free port), got -5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := defaults(rootEnv)
			err := ApplyEnv(&s, tc.environ)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error\n got %v\nwant %s", err, tc.err)
				}
				if !reflect.DeepEqual(s, rootDefaults) {
					t.Fatalf("a failed ApplyEnv changed the config: %+v", s)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := defaults(rootEnv)
			tc.change(&want)
			if !reflect.DeepEqual(s, want) {
				t.Fatalf("got  %+v\nwant %+v", s, want)
			}
		})
	}
	if err := ApplyEnv(nil, nil); err == nil {
		t.Fatal("ApplyEnv(nil) succeeded")
	}
}

func TestEnvNames(t *testing.T) {
	for _, k := range Keys() {
		s := defaults(rootEnv)
		// Each variable reaches its own key: set it to the default's string
		// form and expect no change.
		if err := ApplyEnv(&s, []string{k.Env + "=" + envForm(t, k)}); err != nil {
			t.Errorf("%s: %v", k.Env, err)
		}
		if !reflect.DeepEqual(s, rootDefaults) {
			t.Errorf("%s changed the defaults: %+v", k.Env, s)
		}
	}
	if got := specByName["api-allow-remote-control"].Env; got != "JETSTREAM_API_ALLOW_REMOTE_CONTROL" {
		t.Fatalf("env name %q", got)
	}
}

// envForm writes the root default of k in environment syntax.
func envForm(t *testing.T, k Key) string {
	t.Helper()
	v, ok := lookupDefault(k.Name)
	if !ok {
		t.Fatalf("no default for %s", k.Name)
	}
	switch v := v.(type) {
	case []any:
		s := ""
		for i, e := range v {
			if i > 0 {
				s += ","
			}
			s += e.(string)
		}
		return s
	case float64:
		return formatRate(v)
	default:
		return fmtAny(v)
	}
}

func TestSet(t *testing.T) {
	s := defaults(rootEnv)
	if err := s.Set("api-port", "9000"); err != nil || s.APIPort != 9000 {
		t.Fatalf("Set api-port: %v, %d", err, s.APIPort)
	}
	if err := s.Set("superuser", "alice,bob"); err != nil || !reflect.DeepEqual(s.Superuser, []string{"alice", "bob"}) {
		t.Fatalf("Set superuser: %v, %v", err, s.Superuser)
	}
	if err := (*Server)(nil).Set("api-port", "1"); err == nil {
		t.Fatal("Set on a nil Server succeeded")
	}
	tests := []struct{ key, value, err string }{
		{"api-prot", "1", `unknown key "api-prot" (did you mean "api-port"?)`},
		{"api-port", "x", `api-port: expected an integer, got "x"`},
		{"log-level", "verbose", `log-level: must be debug, info, warn or error, got "verbose"`},
	}
	for _, tc := range tests {
		before := s
		err := s.Set(tc.key, tc.value)
		if err == nil || err.Error() != tc.err {
			t.Errorf("Set(%q, %q) = %v, want %s", tc.key, tc.value, err, tc.err)
		}
		if !reflect.DeepEqual(s, before) {
			t.Errorf("failed Set(%q) changed the config", tc.key)
		}
	}
}
