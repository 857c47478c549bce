package tui_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/daemon/daemontest"
	"github.com/jetstream-go/jetstream/tui"
	"github.com/jetstream-go/jetstream/tui/common"
	"github.com/jetstream-go/jetstream/tui/tuitest"
)

func TestSmokeRealDaemon(t *testing.T) {
	sandbox := daemontest.OpenDir(t)
	os.MkdirAll(filepath.Join(sandbox, "dir1"), 0o755)
	os.WriteFile(filepath.Join(sandbox, "file.txt"), []byte("hello"), 0o644)
	daemontest.ChownTree(t, sandbox, daemontest.BuiltinIdentity(t))
	d := daemontest.Start(t, daemontest.WithSandbox(sandbox))
	d.AddUser("ana", "pw", true)
	f := newFixture()
	opts := f.options()
	opts.Connector = tui.DialConnector{KnownHosts: d.KnownHosts}
	opts.Target = "ana@127.0.0.1:" + itoa(d.Port)
	opts.Password = "pw"
	tuitest.BlockLimit = 5 * time.Second
	defer func() { tuitest.BlockLimit = 300 * time.Millisecond }()
	h := newHarness(t, opts, 120, 40)
	t.Logf("status: %+v sessions %d", h.m.Status(), len(h.m.Sessions()))
	if len(h.m.Sessions()) != 1 {
		t.Fatal("not connected")
	}
	time.Sleep(200 * time.Millisecond)
	h.press("ctrl+r")
	t.Logf("\n%s", h.view())
	h.press("f7")
	for _, r := range "newdir" {
		h.send(key(string(r)))
	}
	h.press("enter")
	t.Logf("\n%s", h.view())
	h.press("down", "u")
	t.Logf("\n%s", h.view())
	h.press("tab", "down", "f5")
	t.Logf("\n%s", h.view())
	h.press("5")
	t.Logf("\n%s", h.view())
	h.press("4")
	t.Logf("\n%s", h.view())
	h.press("3")
	t.Logf("\n%s", h.view())
	_ = common.ScreenFiles
}

func itoa(n int) string { return fmtInt(n) }

func fmtInt(n int) string {
	s := ""
	for n > 0 {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return s
}
