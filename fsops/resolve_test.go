package fsops

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	fx := newFixture(t)
	s := fx.sandbox(t)
	root, data := fx.root, fx.data
	long := strings.Repeat("a/", 2100)
	tests := []struct {
		name     string
		in       string
		want     string // for Resolve
		wantNF   string // for ResolveNoFollow; "" means same as want
		code     ErrorCode
		codeNF   ErrorCode // "" means same as code (when code is set)
		noFollow bool      // only ResolveNoFollow differs
	}{
		{name: "empty is the root", in: "", want: root},
		{name: "slash is the root", in: "/", want: root},
		{name: "dot is the root", in: ".", want: root},
		{name: "relative", in: "a", want: root + "/a"},
		{name: "absolute", in: "/a/b/file.txt", want: root + "/a/b/file.txt"},
		{name: "doubled slashes and dots", in: "a//b/./file.txt", want: root + "/a/b/file.txt"},
		{name: "trailing slash", in: "a/b/", want: root + "/a/b"},
		{name: "trailing slashes", in: "/a///", want: root + "/a"},
		{name: "dotdot inside", in: "a/../file.txt", want: root + "/file.txt"},
		{name: "dotdot to the root", in: "a/b/../..", want: root},
		{name: "dotdot escape", in: "a/b/../../..", code: CodeOutsideSandbox},
		{name: "leading dotdot", in: "../x", code: CodeOutsideSandbox},
		{name: "absolute dotdot", in: "/../x", code: CodeOutsideSandbox},
		{name: "absolute escape stays in root", in: "/etc/passwd", want: root + "/etc/passwd"},
		{name: "host path is a plain path", in: fx.outside + "/secret", want: root + fx.outside + "/secret"},
		{name: "missing final", in: "newfile", want: root + "/newfile"},
		{name: "missing parents", in: "new/dir/file", want: root + "/new/dir/file"},
		{name: "file as directory", in: "file.txt/x", code: CodeNotADirectory},
		{name: "link in the middle", in: "in/b", want: root + "/a/b"},
		{name: "absolute link in the middle", in: "inabs/b/file.txt", want: root + "/a/b/file.txt"},
		{name: "link at the end", in: "in", want: root + "/a", wantNF: root + "/in"},
		{name: "link chain", in: "chain", want: root + "/a/b", wantNF: root + "/chain"},
		{name: "link to dot", in: "self/a", want: root + "/a"},
		{name: "escaping link at the end", in: "out", code: CodeOutsideSandbox, wantNF: root + "/out", codeNF: "-"},
		{name: "escaping link in the middle", in: "out/secret", code: CodeOutsideSandbox},
		{name: "escaping absolute link", in: "outabs/secret", code: CodeOutsideSandbox},
		{name: "escaping absolute link at the end", in: "outabs", code: CodeOutsideSandbox, wantNF: root + "/outabs", codeNF: "-"},
		{name: "escape by dotdot in target", in: "up", code: CodeOutsideSandbox, wantNF: root + "/up", codeNF: "-"},
		{name: "link to parent", in: "dotdot/x", code: CodeOutsideSandbox},
		{name: "loop", in: "loop1", code: CodeInvalidPath, wantNF: root + "/loop1", codeNF: "-"},
		{name: "loop in the middle", in: "loop1/x", code: CodeInvalidPath},
		{name: "dangling inside", in: "dangle", want: root + "/a/new", wantNF: root + "/dangle"},
		{name: "dangling outside", in: "dangleout", code: CodeOutsideSandbox, wantNF: root + "/dangleout", codeNF: "-"},
		{name: "NUL", in: "a\x00b", code: CodeInvalidPath},
		{name: "too long", in: long, code: CodeInvalidPath},
		{name: "component too long", in: strings.Repeat("x", 256), code: CodeInvalidPath},
		{name: "component at the limit", in: strings.Repeat("x", 255), want: root + "/" + strings.Repeat("x", 255)},
		{name: "windows drive is a plain name", in: `C:\x`, want: root + `/C:\x`},
		{name: "windows path is a plain name", in: `C:\Users\..\x`, want: root + `/C:\Users\..\x`},
		{name: "backslash dotdot is a name", in: `..\..\etc`, want: root + `/..\..\etc`},
		{name: "named root", in: "data:", want: data},
		{name: "named root slash", in: "data:/x", want: data + "/x"},
		{name: "named root relative", in: "data:x/../y", want: data + "/y"},
		{name: "named root escape", in: "data:../x", code: CodeOutsideSandbox},
		{name: "unknown root is a plain name", in: "nope:x", want: root + "/nope:x"},
		{name: "colon after slash", in: "/data:x", want: root + "/data:x"},
		{name: "empty root name", in: ":x", want: root + "/:x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Resolve(tt.in)
			checkCode(t, err, tt.code)
			if tt.code == "" && got != tt.want {
				t.Errorf("Resolve(%q) = %q, want %q", tt.in, got, tt.want)
			}
			wantNF, codeNF := tt.want, tt.code
			if tt.wantNF != "" {
				wantNF = tt.wantNF
			}
			if tt.codeNF == "-" {
				codeNF = ""
			}
			got, err = s.ResolveNoFollow(tt.in)
			checkCode(t, err, codeNF)
			if codeNF == "" && got != wantNF {
				t.Errorf("ResolveNoFollow(%q) = %q, want %q", tt.in, got, wantNF)
			}
		})
	}
}

func TestResolveErrorsHideHostPaths(t *testing.T) {
	fx := newFixture(t)
	s := fx.sandbox(t)
	for _, in := range []string{"out/secret", "outabs", "file.txt/x", "loop1", "../x", "up", "a\x00"} {
		_, err := s.Resolve(in)
		if err == nil {
			t.Fatalf("Resolve(%q) succeeded", in)
		}
		if strings.Contains(err.Error(), fx.base) {
			t.Errorf("Resolve(%q) error leaks the host path: %v", in, err)
		}
	}
}

func TestResolveRootThroughSymlink(t *testing.T) {
	fx := newFixture(t)
	// The root is configured through a link; "inabs" names the real path.
	s, err := NewSandbox(map[string]string{"": filepath.Join(fx.base, "rootlink")}, "u")
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Resolve("inabs/b")
	if err != nil {
		t.Fatal(err)
	}
	if want := fx.base + "/rootlink/a/b"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	_, err = s.Resolve("outabs")
	checkCode(t, err, CodeOutsideSandbox)
}

func TestResolveWithoutDefaultRoot(t *testing.T) {
	fx := newFixture(t)
	s, err := NewSandbox(map[string]string{"data": fx.data}, "u")
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Resolve("x")
	checkCode(t, err, CodeInvalidPath)
	if !strings.Contains(err.Error(), "data:") {
		t.Errorf("error should list the roots: %v", err)
	}
	if got, err := s.Resolve("data:x"); err != nil || got != fx.data+"/x" {
		t.Errorf("Resolve(data:x) = %q, %v", got, err)
	}
}

func TestResolveUnsandboxed(t *testing.T) {
	s := Unsandboxed()
	tests := []struct {
		in, want string
		code     ErrorCode
	}{
		{in: "/", want: "/"},
		{in: "", want: "/"},
		{in: "proc/self/..", want: "/proc"},
		{in: `C:\x`, want: `/C:\x`},
		{in: "name:x", want: "/name:x"},
		{in: "../x", code: CodeOutsideSandbox},
		{in: "/a\x00", code: CodeInvalidPath},
	}
	for _, tt := range tests {
		got, err := s.ResolveNoFollow(tt.in)
		checkCode(t, err, tt.code)
		if tt.code == "" && got != tt.want {
			t.Errorf("ResolveNoFollow(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestResolveNilAndZeroSandbox(t *testing.T) {
	var s *Sandbox
	_, err := s.Resolve("x")
	checkCode(t, err, CodeInvalidPath)
	_, err = (&Sandbox{}).Resolve("x")
	checkCode(t, err, CodeInvalidPath)
	_, err = s.LandingPath("", "x")
	checkCode(t, err, CodeInvalidPath)
}

func TestResolveTooLongResult(t *testing.T) {
	fx := newFixture(t)
	s := fx.sandbox(t)
	// 16 components of 255 bytes fit in a user path of 4096 bytes but not
	// below the root.
	comp := strings.Repeat("y", 250)
	in := strings.Repeat(comp+"/", 17)[:4090]
	_, err := s.Resolve(in)
	checkCode(t, err, CodeInvalidPath)
}
