package config

import (
	"reflect"
	"testing"
)

// Defaults < file < environment; flags are layered on top by cmd/jetstream
// (emulated with Set) and Validate comes last.
func TestPrecedence(t *testing.T) {
	f, err := Parse("jetstream.toml", []byte(`
api-port = 9001
recv-port = 9002
log-level = "warn"
superuser = ["alice"]
`))
	if err != nil {
		t.Fatal(err)
	}
	s := defaults(rootEnv)
	if err := f.Apply(&s); err != nil {
		t.Fatal(err)
	}
	if err := ApplyEnv(&s, []string{"JETSTREAM_RECV_PORT=9003", "JETSTREAM_LOG_LEVEL=error", "JETSTREAM_SANDBOX_DIR=/data"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("log-level", "debug"); err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	want := defaults(rootEnv)
	want.APIPort = 9001       // file
	want.RecvPort = 9003      // env over file
	want.SandboxDir = "/data" // env over default
	want.LogLevel = "debug"   // flag over env over file
	want.Superuser = []string{"alice"}
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("got  %+v\nwant %+v", s, want)
	}
}
