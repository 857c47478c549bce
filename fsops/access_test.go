//go:build unix

package fsops

import (
	"io/fs"
	"os"
	"syscall"
	"testing"
	"time"
)

// fakeInfo is an os.FileInfo with chosen mode and owner.
type fakeInfo struct {
	mode     fs.FileMode
	uid, gid uint32
	noOwner  bool
}

func (f fakeInfo) Name() string       { return "f" }
func (f fakeInfo) Size() int64        { return 0 }
func (f fakeInfo) Mode() fs.FileMode  { return f.mode }
func (f fakeInfo) ModTime() time.Time { return time.Time{} }
func (f fakeInfo) IsDir() bool        { return f.mode.IsDir() }
func (f fakeInfo) Sys() any {
	if f.noOwner {
		return nil
	}
	return &syscall.Stat_t{Uid: f.uid, Gid: f.gid}
}

func TestAccess(t *testing.T) {
	alice := Identity{UID: 1000, GID: 1000, Groups: []uint32{1000, 50}, Name: "alice"}
	root := Identity{}
	tests := []struct {
		name string
		fi   os.FileInfo
		id   Identity
		want int
	}{
		{"owner rw", fakeInfo{mode: 0o640, uid: 1000, gid: 0}, alice, 6},
		{"owner bits even if group has more", fakeInfo{mode: 0o470, uid: 1000, gid: 1000}, alice, 4},
		{"primary group", fakeInfo{mode: 0o640, uid: 1, gid: 1000}, alice, 4},
		{"supplementary group", fakeInfo{mode: 0o750, uid: 1, gid: 50}, alice, 5},
		{"others", fakeInfo{mode: 0o754, uid: 1, gid: 2}, alice, 4},
		{"no access", fakeInfo{mode: 0o700, uid: 1, gid: 2}, alice, 0},
		{"private dir", fakeInfo{mode: fs.ModeDir | 0o700, uid: 1, gid: 1}, alice, 0},
		{"own dir", fakeInfo{mode: fs.ModeDir | 0o755, uid: 1000, gid: 1}, alice, 7},
		{"no owner info uses others", fakeInfo{mode: 0o764, noOwner: true}, alice, 4},
		{"root on private file", fakeInfo{mode: 0o600, uid: 1, gid: 1}, root, 6},
		{"root on executable", fakeInfo{mode: 0o001, uid: 1, gid: 1}, root, 7},
		{"root on dir", fakeInfo{mode: fs.ModeDir, uid: 1, gid: 1}, root, 7},
	}
	for _, tt := range tests {
		if got := Access(tt.fi, tt.id); got != tt.want {
			t.Errorf("%s: Access = %d, want %d", tt.name, got, tt.want)
		}
	}
	if Access(nil, alice) != 0 {
		t.Error("nil FileInfo")
	}
}

func TestAccessRealFiles(t *testing.T) {
	fx := newFixture(t)
	me := CurrentIdentity()
	fi, err := os.Lstat(fx.root + "/file.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := AccessRead | AccessWrite
	if got := Access(fi, me); got != want {
		t.Errorf("own 0644 file: %d, want %d", got, want)
	}
	stranger := Identity{UID: me.UID + 4242, GID: me.GID + 4242, Name: "stranger"}
	if got := Access(fi, stranger); got != AccessRead {
		t.Errorf("stranger on 0644 file: %d, want %d", got, AccessRead)
	}
}
