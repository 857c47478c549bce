package fsops

import (
	"os"
	"strings"
	"testing"
)

func TestCurrentIdentity(t *testing.T) {
	id := CurrentIdentity()
	if int(id.UID) != os.Geteuid() || int(id.GID) != os.Getegid() {
		t.Errorf("CurrentIdentity() = %+v, process is %d/%d", id, os.Geteuid(), os.Getegid())
	}
}

func TestLookupIdentity(t *testing.T) {
	id, err := LookupIdentity("root")
	if err != nil {
		t.Skipf("no root account to look up: %v", err)
	}
	if id.UID != 0 || id.GID != 0 || id.Name != "root" || !id.hasGroup(0) {
		t.Errorf("root = %+v", id)
	}
	for _, bad := range []string{"", "a/b", "a:b", "a\x00", strings.Repeat("x", 300)} {
		if _, err := LookupIdentity(bad); err == nil || !strings.Contains(err.Error(), "not a valid user name") {
			t.Errorf("LookupIdentity(%q) error = %v", bad, err)
		}
	}
	if _, err := LookupIdentity("no-such-user-fsops-test"); err == nil || !strings.Contains(err.Error(), "no OS account") {
		t.Errorf("unknown user error = %v", err)
	}
}

func TestParseID(t *testing.T) {
	for in, ok := range map[string]bool{"0": true, "1000": true, "4294967294": true, "4294967295": false, "-1": false, "x": false, "": false} {
		if _, err := parseID(in); (err == nil) != ok {
			t.Errorf("parseID(%q) error = %v", in, err)
		}
	}
}
