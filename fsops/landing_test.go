package fsops

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLandingPathTable(t *testing.T) {
	// The six rows of "Where do transfers go?" (reference/000, 001). The
	// sandboxed rows use <tmp>/storage for /storage.
	base, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	storage := filepath.Join(base, "storage")
	mustMkdir(t, storage)
	plain, err := NewSandbox(map[string]string{"": storage}, "alice")
	if err != nil {
		t.Fatal(err)
	}
	perUser, err := NewSandbox(map[string]string{"": storage + "/%u"}, "alice")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		s         *Sandbox
		dest, tgt string
		want      string
	}{
		{"none/none/abs", Unsandboxed(), "", "/mnt/data/file.txt", "/mnt/data/file.txt"},
		{"none/none/rel", Unsandboxed(), "", "file.txt", "/file.txt"},
		{"storage/none", plain, "", "/mnt/data/file.txt", storage + "/mnt/data/file.txt"},
		{"storage/repository1", plain, "/repository1", "/mnt/data/file.txt", storage + "/repository1/mnt/data/file.txt"},
		{"storage/%u/none", perUser, "", "/mnt/data/file.txt", storage + "/alice/mnt/data/file.txt"},
		{"storage/%u/repository1", perUser, "/repository1", "/mnt/data/file.txt", storage + "/alice/repository1/mnt/data/file.txt"},
		{"jscp example", plain, "", "/target/my_file", storage + "/target/my_file"},
		{"jscp -d example", plain, "/project", "/target/my_file", storage + "/project/target/my_file"},
		{"unsandboxed -d example", Unsandboxed(), "/project", "/target/my_file", "/project/target/my_file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.s.LandingPath(tt.dest, tt.tgt)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("LandingPath(%q, %q) = %q, want %q", tt.dest, tt.tgt, got, tt.want)
			}
		})
	}
}

func TestLandingPath(t *testing.T) {
	fx := newFixture(t)
	s := fx.sandbox(t)
	root, data := fx.root, fx.data
	tests := []struct {
		name, dest, tgt string
		want            string
		code            ErrorCode
	}{
		{name: "relative destination", dest: "proj", tgt: "f", want: root + "/proj/f"},
		{name: "trailing slashes", dest: "/proj/", tgt: "/dir/f/", want: root + "/proj/dir/f"},
		{name: "named root in destination", dest: "data:/proj", tgt: "/x/f", want: data + "/proj/x/f"},
		{name: "named root in destination only", dest: "data:", tgt: "f", want: data + "/f"},
		{name: "named root in target", dest: "/proj", tgt: "data:x/f", want: data + "/proj/x/f"},
		{name: "named root in both", dest: "data:/a", tgt: "data:/b", code: CodeInvalidPath},
		{name: "dotdot inside target", tgt: "a/../f", want: root + "/f"},
		{name: "target climbs out of destination", dest: "/proj", tgt: "../f", code: CodeOutsideSandbox},
		{name: "destination climbs out", dest: "../x", tgt: "f", code: CodeOutsideSandbox},
		{name: "absolute-looking target stays below", dest: "/proj", tgt: "/../../etc/passwd", code: CodeOutsideSandbox},
		{name: "empty target", dest: "/proj", tgt: "", code: CodeInvalidPath},
		{name: "slash target", dest: "/proj", tgt: "/", code: CodeInvalidPath},
		{name: "windows target is a name", tgt: `C:\x`, want: root + `/C:\x`},
		{name: "symlink destination inside", dest: "in", tgt: "f", want: root + "/a/f"},
		{name: "symlink destination escapes", dest: "out", tgt: "f", code: CodeOutsideSandbox},
		{name: "symlink target at the end escapes", dest: "", tgt: "outabs", code: CodeOutsideSandbox},
		{name: "dangling link inside lands on target", tgt: "dangle", want: root + "/a/new"},
		{name: "NUL in target", tgt: "a\x00", code: CodeInvalidPath},
		{name: "NUL in destination", dest: "a\x00", tgt: "f", code: CodeInvalidPath},
		{name: "file as directory", dest: "file.txt", tgt: "f", code: CodeNotADirectory},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.LandingPath(tt.dest, tt.tgt)
			checkCode(t, err, tt.code)
			if tt.code == "" && got != tt.want {
				t.Errorf("LandingPath(%q, %q) = %q, want %q", tt.dest, tt.tgt, got, tt.want)
			}
		})
	}
}

func TestLandingPathNoDefaultRoot(t *testing.T) {
	fx := newFixture(t)
	s, err := NewSandbox(map[string]string{"data": fx.data}, "u")
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.LandingPath("/proj", "f")
	checkCode(t, err, CodeInvalidPath)
	got, err := s.LandingPath("/proj", "data:f")
	if err != nil || got != fx.data+"/proj/f" {
		t.Errorf("got %q, %v", got, err)
	}
	if _, err := os.Stat(fx.data + "/proj"); err == nil {
		t.Error("LandingPath must not create anything")
	}
}

func TestLandingPathNeverARoot(t *testing.T) {
	fx := newFixture(t)
	s := fx.sandbox(t)
	for _, tgt := range []string{"self", "self/self/self/..", "a/.."} {
		_, err := s.LandingPath("", tgt)
		checkCode(t, err, CodeInvalidPath)
	}
	if err := os.Symlink(fx.data, fx.root+"/todata"); err != nil {
		t.Fatal(err)
	}
	// Outside its own root anyway, but the data root must never be a landing path.
	_, err := s.LandingPath("", "todata")
	checkCode(t, err, CodeOutsideSandbox)
}
