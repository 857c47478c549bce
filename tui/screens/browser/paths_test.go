package browser

import (
	"reflect"
	"strings"
	"testing"

	"github.com/jetstream-go/jetstream/tui/common"
)

func TestRemotePaths(t *testing.T) {
	r := Remote{}
	join := []struct{ dir, name, want string }{
		{"", "data", "data:/"},
		{"", "", "/"},
		{"", "/", "/"},
		{"", "data:", "data:/"},
		{"data:/", "a", "data:/a"},
		{"data:/a", "b", "data:/a/b"},
		{"/", "etc", "/etc"},
		{"/x", "../../y", "/y"},
		{"data:/a", "..", "data:/"},
	}
	for _, tt := range join {
		if got := r.Join(tt.dir, tt.name); got != tt.want {
			t.Errorf("Join(%q, %q) = %q, want %q", tt.dir, tt.name, got, tt.want)
		}
	}
	parent := []struct {
		dir, want string
		ok        bool
	}{
		{"", "", false}, {"/", "", true}, {"data:/", "", true}, {"data:/a", "data:/", true},
		{"data:/a/b", "data:/a", true}, {"/a/b/", "/a", true},
	}
	for _, tt := range parent {
		got, ok := r.Parent(tt.dir)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Parent(%q) = %q, %v; want %q, %v", tt.dir, got, ok, tt.want, tt.ok)
		}
	}
	abs := []struct{ dir, typed, want string }{
		{"data:/a", "b", "data:/a/b"},
		{"data:/a", "/etc", "/etc"},
		{"data:/a", "home:/x/../y", "home:/y"},
		{"", "x", "/x"},
		{"data:/a", "  ", ""},
		{"data:/a", "sub/dir:odd", "data:/a/sub/dir:odd"},
	}
	for _, tt := range abs {
		if got := r.Abs(tt.dir, tt.typed); got != tt.want {
			t.Errorf("Abs(%q, %q) = %q, want %q", tt.dir, tt.typed, got, tt.want)
		}
	}
	if got := r.Crumbs("data:/a/b"); !reflect.DeepEqual(got, []string{"data:/", "a", "b"}) {
		t.Errorf("Crumbs = %v", got)
	}
	if got := r.Crumbs(""); !reflect.DeepEqual(got, []string{"(roots)"}) {
		t.Errorf("Crumbs of roots = %v", got)
	}
}

// FuzzRemotePath: joining a server name to a directory never climbs out of
// the directory's root, and walking up always ends at the roots list.
func FuzzRemotePath(f *testing.F) {
	for _, s := range [][2]string{{"data:/", "a"}, {"/", ".."}, {"", "x:y"}, {"data:/a/b", "../../.."}, {"x:/", "/abs"}} {
		f.Add(s[0], s[1])
	}
	r := Remote{}
	f.Fuzz(func(t *testing.T, dir, name string) {
		if dir != "" {
			dir = clean(dir)
		}
		j := r.Join(dir, name)
		if strings.Contains("/"+j+"/", "/../") {
			t.Fatalf("Join(%q, %q) = %q keeps ..", dir, name, j)
		}
		if dir != "" {
			root, _ := splitRoot(dir)
			if jr, _ := splitRoot(j); jr != root && !strings.Contains(name, ":") {
				t.Fatalf("Join(%q, %q) = %q left root %q", dir, name, j, root)
			}
		}
		p, steps := j, 0
		for {
			up, ok := r.Parent(p)
			if !ok {
				break
			}
			p = up
			if steps++; steps > 10000 {
				t.Fatalf("Parent does not terminate from %q", j)
			}
		}
		if p != "" {
			t.Fatalf("walking up from %q ends at %q, not the roots", j, p)
		}
		_ = r.Abs(dir, name)
		_ = r.Crumbs(j)
	})
}

func TestLocalPaths(t *testing.T) {
	l := Local{}
	if got := l.Join("/a", "b"); got != "/a/b" {
		t.Errorf("Join = %q", got)
	}
	if p, ok := l.Parent("/a/b"); p != "/a" || !ok {
		t.Errorf("Parent = %q %v", p, ok)
	}
	if _, ok := l.Parent("/"); ok {
		t.Error("/ has a parent")
	}
	if got := l.Abs("/a", "../x"); got != "/x" {
		t.Errorf("Abs relative = %q", got)
	}
	if got := l.Abs("/a", "/etc/../usr"); got != "/usr" {
		t.Errorf("Abs absolute = %q", got)
	}
	if got := l.Crumbs("/home/ana"); !reflect.DeepEqual(got, []string{"/", "home", "ana"}) {
		t.Errorf("Crumbs = %v", got)
	}
}

func TestUniqueAndValidName(t *testing.T) {
	taken := map[string]bool{"a.txt": true, "a (1).txt": true, "dir": true, ".bashrc": true}
	is := func(n string) bool { return taken[n] }
	for in, want := range map[string]string{"a.txt": "a (2).txt", "dir": "dir (1)", ".bashrc": ".bashrc (1)", "new": "new (1)"} {
		if got := uniqueName(in, is); got != want {
			t.Errorf("uniqueName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := uniqueName("x", func(string) bool { return true }); got != "" {
		t.Errorf("uniqueName with everything taken = %q", got)
	}
	for n, ok := range map[string]bool{"ok": true, "with space": true, "": false, ".": false, "..": false, "a/b": false, `a\b`: false, "bell\a": false} {
		if err := validName(n); (err == nil) != ok {
			t.Errorf("validName(%q) = %v", n, err)
		}
	}
}

func TestPlanTransfer(t *testing.T) {
	a := Remote{S: &common.Session{Key: "a"}}
	b := Remote{S: &common.Session{Key: "b"}}
	l := Local{}
	tests := []struct {
		name    string
		src     Source
		srcDir  string
		dst     Source
		dstDir  string
		want    common.Direction
		session string
		wantErr string
	}{
		{"upload", l, "/home", a, "data:/", common.Upload, "a", ""},
		{"download", a, "data:/", l, "/tmp", common.Download, "a", ""},
		{"server to server", a, "data:/", b, "/", common.RemoteToRemote, "a", ""},
		{"same server", a, "data:/x", a, "data:/y", common.RemoteToRemote, "a", ""},
		{"local to local", l, "/a", l, "/b", 0, "", "both panes show local files"},
		{"from roots", a, "", l, "/b", 0, "", "roots cannot be copied"},
		{"to roots", l, "/a", a, "", 0, "", "open a directory in the other pane"},
	}
	for _, tt := range tests {
		p, err := planTransfer(tt.src, tt.srcDir, tt.dst, tt.dstDir)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: err = %v, want %q", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil || p.direction != tt.want || p.session.Key != tt.session {
			t.Errorf("%s: %+v, %v", tt.name, p, err)
		}
	}
}
