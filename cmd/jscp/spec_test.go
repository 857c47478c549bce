package main

import (
	"strings"
	"testing"
)

func TestParseSpec(t *testing.T) {
	tests := []struct {
		arg     string
		want    remoteSpec
		remote  bool
		wantErr string
	}{
		{arg: "file.txt"},
		{arg: "/abs/a:b"},
		{arg: "./a:b"},
		{arg: "../a:b"},
		{arg: "host:/x", want: remoteSpec{Host: "host", Path: "/x"}, remote: true},
		{arg: "host:", want: remoteSpec{Host: "host"}, remote: true},
		{arg: "bob@host:rel/p", want: remoteSpec{User: "bob", Host: "host", Path: "rel/p"}, remote: true},
		{arg: "a@b@host:/x", want: remoteSpec{User: "a@b", Host: "host", Path: "/x"}, remote: true},
		{arg: "host:9000:/x", want: remoteSpec{Host: "host", Port: 9000, Path: "/x"}, remote: true},
		{arg: "host:9000", want: remoteSpec{Host: "host", Path: "9000"}, remote: true},
		{arg: "host:/a:b", want: remoteSpec{Host: "host", Path: "/a:b"}, remote: true},
		{arg: "host:0:/x", remote: true, wantErr: `port "0" must be 1-65535`},
		{arg: "host:70000:/x", remote: true, wantErr: `port "70000" must be 1-65535`},
		{arg: "@host:/x", remote: true, wantErr: "empty user name"},
		{arg: ":/x", remote: true, wantErr: "malformed host"},
		{arg: "a b:/x", remote: true, wantErr: "malformed host"},
		{arg: "a/b:/x", remote: false},
	}
	for _, tt := range tests {
		got, remote, err := parseSpec(tt.arg)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("parseSpec(%q) error %v, want %q", tt.arg, err, tt.wantErr)
			}
			continue
		}
		if err != nil || remote != tt.remote || got != tt.want {
			t.Errorf("parseSpec(%q) = %+v, %v, %v; want %+v, %v", tt.arg, got, remote, err, tt.want, tt.remote)
		}
	}
}

func TestParseHost(t *testing.T) {
	for arg, want := range map[string]remoteSpec{
		"localhost":            {Host: "localhost"},
		"bob@10.0.0.1:9000":    {User: "bob", Host: "10.0.0.1", Port: 9000},
		"host.example.org:443": {Host: "host.example.org", Port: 443},
	} {
		got, err := parseHost(arg)
		if err != nil || got != want {
			t.Errorf("parseHost(%q) = %+v, %v; want %+v", arg, got, err, want)
		}
	}
	for _, bad := range []string{"host:/path", "@h", "h:99999", ""} {
		if _, err := parseHost(bad); err == nil {
			t.Errorf("parseHost(%q) accepted", bad)
		}
	}
}

func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{"host:/x", "u@h:1:/p", "./a:b", "h:", "@:", "h:65536:/", "a@b@c:d:e:f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		s, remote, err := parseSpec(arg)
		if err != nil || !remote {
			return
		}
		if s.Host == "" || strings.ContainsAny(s.Host, "/ ") {
			t.Fatalf("%q: bad host %q accepted", arg, s.Host)
		}
		if s.Port < 0 || s.Port > 65535 {
			t.Fatalf("%q: port %d", arg, s.Port)
		}
	})
}
