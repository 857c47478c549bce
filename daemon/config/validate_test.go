package config

import (
	"math"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *Server)
		err    string
	}{
		{"defaults", func(*Server) {}, ""},
		{"ports 0 pick a free port", func(s *Server) { s.APIPort, s.RecvPort = 0, 0 }, ""},
		{"loopback only", func(s *Server) { s.APIHost, s.APIAllowRemoteControl = "127.0.0.1", false }, ""},
		{"port", func(s *Server) { s.APIPort = 65536 }, "api-port: must be between 1 and 65535 (or 0 for any free port), got 65536"},
		{"host", func(s *Server) { s.APIHost = "bad_host!" }, `api-host: must be an IP address or a host name, got "bad_host!"`},
		{"sandbox relative", func(s *Server) { s.SandboxDir = "data/%u" }, `sandbox-dir: must be an absolute path, got "data/%u"`},
		{"sandbox placeholder", func(s *Server) { s.SandboxDir = "/data/%g" },
			`sandbox-dir: unknown placeholder "%g" in "/data/%g" (only %u, the user name, is supported)`},
		{"log level", func(s *Server) { s.LogLevel = "" }, `log-level: must be debug, info, warn or error, got ""`},
		{"rate NaN", func(s *Server) { s.OutgoingRateLimit = math.NaN() }, "outgoing-rate-limit: must be a finite number of kbit/s, got NaN"},
		{"negative ttl", func(s *Server) { s.RequestResultTTL = -time.Second }, "request-result-ttl: must be between 1s and 720h0m0s, got -1s"},
		{"empty state dir", func(s *Server) { s.PersistentStateDir = "" }, "persistent-state-dir: must be set to an absolute path"},
		{"supergroup", func(s *Server) { s.Supergroup = []string{"wheel", "my group"} },
			`supergroup: "my group" is not a valid user or group name (no blanks, commas or control characters)`},
		{"several, in key order", func(s *Server) {
			s.LogLevel, s.APIPort, s.MaxPayload, s.TriggerLog = "trace", -1, 9, "rel.log"
		}, "api-port: must be between 1 and 65535 (or 0 for any free port), got -1\n" +
			"max-payload: must be between 512 and 65507, got 9\n" +
			`trigger-log: must be an absolute path, got "rel.log"` + "\n" +
			`log-level: must be debug, info, warn or error, got "trace"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := defaults(rootEnv)
			tc.change(&s)
			err := s.Validate()
			if tc.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || err.Error() != tc.err {
				t.Fatalf("got  %v\nwant %s", err, tc.err)
			}
		})
	}
	if err := (*Server)(nil).Validate(); err == nil {
		t.Fatal("nil Server validated")
	}
	if err := new(Server).Validate(); err == nil {
		t.Fatal("zero Server validated")
	}
}

func TestDefaultValidates(t *testing.T) {
	for _, e := range []environment{
		rootEnv,
		{home: "/home/ann"},
		{home: "/home/ann", xdgState: "/xdg"},
	} {
		s := defaults(e)
		if err := s.Validate(); err != nil {
			t.Errorf("defaults(%+v): %v", e, err)
		}
	}
	// Without a home directory a non-root default cannot be found; the
	// error says what to set.
	s := defaults(environment{})
	if err := s.Validate(); err == nil || err.Error() != "persistent-state-dir: must be set to an absolute path\n"+
		"trigger-dir: must be set to an absolute path" {
		t.Fatalf("homeless defaults: %v", err)
	}
}
