package fsops

import (
	"reflect"
	"strings"
	"testing"
)

func TestExpandPlaceholders(t *testing.T) {
	tests := []struct {
		tmpl, user, want string
		wantErr          string
	}{
		{tmpl: "/storage/%u", user: "alice", want: "/storage/alice"},
		{tmpl: "/storage/%d/%u", user: `CORP\alice`, want: "/storage/CORP/alice"},
		{tmpl: "/storage/%d/%u", user: "alice@corp.example", want: "/storage/corp.example/alice"},
		{tmpl: "/storage/%f", user: "alice@corp.example", want: "/storage/alice@corp.example"},
		{tmpl: "/storage/%f", user: `CORP\alice`, want: `/storage/CORP\alice`},
		{tmpl: "/storage/100%%/%u", user: "bob", want: "/storage/100%/bob"},
		{tmpl: "/storage/%%u", user: "bob", want: "/storage/%u"},
		{tmpl: "/home/u-%u-x", user: "bob", want: "/home/u-bob-x"},
		{tmpl: "/plain", user: "", want: "/plain"},
		{tmpl: "/storage/%u", user: "", wantErr: "empty"},
		{tmpl: "/storage/%d", user: "alice", wantErr: "domain"},
		{tmpl: "/storage/%x", user: "alice", wantErr: "unknown placeholder"},
		{tmpl: "/storage/%", user: "alice", wantErr: "lone"},
		{tmpl: "/storage/%u", user: "..", wantErr: "unusable"},
		{tmpl: "/storage/%u%u", user: ".", wantErr: "unusable"},
		{tmpl: "/storage/%u", user: "a/b", wantErr: "unusable"},
		{tmpl: "/storage/%u/x", user: "a\x00", wantErr: "unusable"},
		{tmpl: "/storage/%u", user: "x@", wantErr: ""},
	}
	for _, tt := range tests {
		got, err := expandPlaceholders(tt.tmpl, tt.user)
		switch {
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("expand(%q, %q) error = %v, want %q", tt.tmpl, tt.user, err, tt.wantErr)
		case tt.wantErr == "" && tt.want != "" && (err != nil || got != tt.want):
			t.Errorf("expand(%q, %q) = %q, %v; want %q", tt.tmpl, tt.user, got, err, tt.want)
		}
	}
}

func TestNewSandbox(t *testing.T) {
	tests := []struct {
		name  string
		roots map[string]string
		user  string
		want  []Root
		err   string
	}{
		{name: "default root", roots: map[string]string{"": "/storage/%u"}, user: "alice",
			want: []Root{{"", "/storage/alice"}}},
		{name: "cleaned", roots: map[string]string{"": "/storage//x/./y/../", "b": "/b/"}, user: "u",
			want: []Root{{"", "/storage/x"}, {"b", "/b"}}},
		{name: "sorted", roots: map[string]string{"zz": "/z", "": "/d", "aa": "/a", "C": "/c"}, user: "u",
			want: []Root{{"", "/d"}, {"C", "/c"}, {"aa", "/a"}, {"zz", "/z"}}},
		{name: "64-byte name", roots: map[string]string{strings.Repeat("n", 64): "/x"}, user: "u",
			want: []Root{{strings.Repeat("n", 64), "/x"}}},
		{name: "no roots", roots: map[string]string{}, err: "no roots"},
		{name: "65-byte name", roots: map[string]string{strings.Repeat("n", 65): "/x"}, err: "longer than 64"},
		{name: "colon in name", roots: map[string]string{"a:b": "/x"}, err: "must not contain"},
		{name: "slash in name", roots: map[string]string{"a/b": "/x"}, err: "must not contain"},
		{name: "NUL in name", roots: map[string]string{"a\x00": "/x"}, err: "must not contain"},
		{name: "dot name", roots: map[string]string{".": "/x"}, err: "not allowed"},
		{name: "dotdot name", roots: map[string]string{"..": "/x"}, err: "not allowed"},
		{name: "bad UTF-8 name", roots: map[string]string{"\xff": "/x"}, err: "UTF-8"},
		{name: "relative path", roots: map[string]string{"": "storage"}, err: "not absolute"},
		{name: "empty path", roots: map[string]string{"": ""}, err: "empty"},
		{name: "NUL in path", roots: map[string]string{"": "/a\x00"}, err: "NUL"},
		{name: "bad placeholder", roots: map[string]string{"": "/s/%q"}, err: "unknown placeholder"},
		{name: "user escapes", roots: map[string]string{"": "/s/%u"}, user: "..", err: "unusable"},
		{name: "too long", roots: map[string]string{"": "/" + strings.Repeat("x", 4096)}, err: "longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewSandbox(tt.roots, tt.user)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Roots(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Roots() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestValidateRoots(t *testing.T) {
	if err := ValidateRoots(map[string]string{"": "/storage/%d/%u", "home": "/home/%f"}); err != nil {
		t.Errorf("valid template refused: %v", err)
	}
	if err := ValidateRoots(map[string]string{"": "/storage/%z"}); err == nil {
		t.Error("bad placeholder accepted")
	}
}

func TestIsUnsandboxed(t *testing.T) {
	if !Unsandboxed().IsUnsandboxed() {
		t.Error("Unsandboxed() is sandboxed")
	}
	s, _ := NewSandbox(map[string]string{"": "/"}, "u")
	if !s.IsUnsandboxed() {
		t.Error(`{"": "/"} should count as unsandboxed`)
	}
	s, _ = NewSandbox(map[string]string{"": "/", "x": "/x"}, "u")
	if s.IsUnsandboxed() {
		t.Error("a sandbox with named roots is not the whole filesystem")
	}
	s, _ = NewSandbox(map[string]string{"": "/storage"}, "u")
	if s.IsUnsandboxed() {
		t.Error("/storage is a sandbox")
	}
	var nilS *Sandbox
	if nilS.IsUnsandboxed() || nilS.Roots() != nil {
		t.Error("nil sandbox")
	}
	if got := Unsandboxed().Roots(); !reflect.DeepEqual(got, []Root{{"", "/"}}) {
		t.Errorf("Unsandboxed().Roots() = %v", got)
	}
}

func TestRootsIsACopy(t *testing.T) {
	s, _ := NewSandbox(map[string]string{"": "/a"}, "u")
	s.Roots()[0].Path = "/"
	if s.Roots()[0].Path != "/a" {
		t.Error("Roots() exposes the sandbox's internals")
	}
}

func TestDisplay(t *testing.T) {
	s, err := NewSandbox(map[string]string{"": "/srv", "proj": "/srv/proj", "same": "/srv", "other": "/data"}, "u")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ host, want string }{
		{"/srv", "/"},
		{"/srv/", "/"},
		{"/srv/a/b", "/a/b"},
		{"/srv/proj", "proj:/"},
		{"/srv/proj/x", "proj:/x"},
		{"/srv/projx", "/projx"},
		{"/data/f", "other:/f"},
		{"/srv/a/../proj/y", "proj:/y"},
		{"/etc/passwd", "<outside sandbox>"},
		{"/sr", "<outside sandbox>"},
		{"relative", "<outside sandbox>"},
		{"", "<outside sandbox>"},
	}
	for _, tt := range tests {
		if got := s.Display(tt.host); got != tt.want {
			t.Errorf("Display(%q) = %q, want %q", tt.host, got, tt.want)
		}
	}
	if got := Unsandboxed().Display("/etc/x/"); got != "/etc/x" {
		t.Errorf("unsandboxed Display = %q", got)
	}
	var nilS *Sandbox
	if got := nilS.Display("/x"); got != "<outside sandbox>" {
		t.Errorf("nil Display = %q", got)
	}
}

func TestDisplayRoundTrip(t *testing.T) {
	fx := newFixture(t)
	s := fx.sandbox(t)
	for _, p := range []string{"/", "/a/b/file.txt", "data:/", "data:/x/new", "/C:\\x"} {
		host, err := s.Resolve(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Display(host); got != p {
			t.Errorf("Display(Resolve(%q)) = %q", p, got)
		}
	}
}
