package tui_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps enforces the TUI's import rules (STYLE.md §4): the TUI reaches
// servers only through its Client interface, so neither it nor any of its
// subpackages may link the daemon, the transfer engine, the file
// operations, the relay or kcp-go.
func TestDeps(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps ./...: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 20 {
		t.Fatalf("go list returned only %d packages: %q", len(deps), deps)
	}
	var bad []string
	internal := 0
	for _, p := range deps {
		if strings.HasPrefix(p, mod+"/") {
			internal++
		}
		if isForbidden(p) {
			bad = append(bad, p)
		}
	}
	if len(bad) > 0 {
		t.Errorf("the TUI links forbidden packages: %v", bad)
	}
	if internal == 0 {
		t.Error("no package of the module in the dependency list: the test checks nothing")
	}
}

const mod = "github.com/jetstream-go/jetstream"

// isForbidden reports the packages the TUI must not link.
func isForbidden(pkg string) bool {
	switch {
	case pkg == mod+"/daemon", pkg == mod+"/fsops", pkg == mod+"/net", pkg == mod+"/relay":
		return true
	case strings.HasPrefix(pkg, mod+"/net/"), strings.HasPrefix(pkg, mod+"/relay/"),
		strings.HasPrefix(pkg, mod+"/fsops/"), strings.HasPrefix(pkg, "github.com/xtaci/kcp-go"):
		return true
	}
	return false
}

// TestDepsForbiddenList checks the rule itself on examples, so that a
// broken isForbidden cannot make TestDeps pass vacuously.
func TestDepsForbiddenList(t *testing.T) {
	for _, p := range []string{
		"github.com/jetstream-go/jetstream/daemon",
		"github.com/jetstream-go/jetstream/net/engine",
		"github.com/jetstream-go/jetstream/fsops",
		"github.com/jetstream-go/jetstream/relay/client",
		"github.com/xtaci/kcp-go/v5",
	} {
		if !isForbidden(p) {
			t.Errorf("%s should be forbidden", p)
		}
	}
	for _, p := range []string{
		"github.com/jetstream-go/jetstream/daemon/api",
		"github.com/jetstream-go/jetstream/daemon/client",
		"github.com/jetstream-go/jetstream/daemon/config",
		"github.com/jetstream-go/jetstream/tui/common",
	} {
		if isForbidden(p) {
			t.Errorf("%s should be allowed", p)
		}
	}
}
