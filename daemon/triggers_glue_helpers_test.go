package daemon_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/daemon/daemontest"
)

// examplesDir holds the product's example trigger scripts, verbatim (see
// daemon/triggers/examples_test.go for the two repairs the text rendering
// needed).
const examplesDir = "triggers/testdata/examples"

// installExample copies the example script examplesDir/example/name into
// the trigger directory dir, executable.
func installExample(t *testing.T, dir, example, name string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(examplesDir, example, name))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, b, 0o755); err != nil {
		t.Fatal(err)
	}
	// Rename, so that a trigger starting now sees the old or the new
	// script, never a half-written one.
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
}

// pythonOnPath puts a directory with a "python" (the real python3
// interpreter, as the examples' "#!/usr/bin/env python" wants) first on
// PATH, which the daemon passes to triggers. It skips the test without
// python3.
func pythonOnPath(t *testing.T) {
	t.Helper()
	p3, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	out, err := exec.Command(p3, "-c", "import sys; print(sys.executable)").Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	dir := t.TempDir()
	if err := os.Symlink(strings.TrimSpace(string(out)), filepath.Join(dir, "python")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// sourceTree makes an open directory holding data/<name> for each name,
// owned by the built-in identity, and returns it.
func sourceTree(t *testing.T, names ...string) string {
	t.Helper()
	src := daemontest.OpenDir(t)
	if err := os.MkdirAll(filepath.Join(src, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(src, "data", n), []byte("content of "+n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	daemontest.ChownTree(t, src, daemontest.BuiltinIdentity(t))
	return src
}

// sendTree sends src/data to destPath/in on destination destID and waits
// for the transfer to end; it returns the transfer as it ended.
func sendTree(t *testing.T, c *client.Client, destID, src, destPath string, userData map[string]any) api.Transfer {
	t.Helper()
	var m api.Manifest
	if err := c.Call(bg, "send.createManifest", map[string]any{"fileMappings": []string{filepath.Join(src, "data") + ":/in"}}, &m); err != nil {
		t.Fatal(err)
	}
	if err := c.Call(bg, "send.waitForManifest", map[string]any{"manifestId": m.ManifestID, "timeoutSeconds": 30}, &m); err != nil {
		t.Fatal(err)
	}
	params := map[string]any{"destinationId": destID, "manifestId": m.ManifestID, "destinationPath": destPath}
	if userData != nil {
		params["userData"] = userData
	}
	var tr api.Transfer
	if err := c.Call(bg, "send.createTransfer", params, &tr); err != nil {
		t.Fatal(err)
	}
	return waitTransfer(t, c, tr.TransferID)
}

// createDestination makes a destination on c for daemon b's user.
func createDestination(t *testing.T, c *client.Client, b *daemontest.Daemon, user, password string) api.Destination {
	t.Helper()
	var dest api.Destination
	if err := c.Call(bg, "send.createDestination", map[string]any{
		"destinationAddress": "127.0.0.1", "destinationApiPort": b.Port, "userName": user, "password": password,
	}, &dest); err != nil {
		t.Fatal(err)
	}
	return dest
}

// eventField is field k of the only event named name in c's event log.
func eventField(t *testing.T, c *client.Client, name, k string) string {
	t.Helper()
	evs, err := c.EventLog(bg, map[string]any{"eventName": name})
	if err != nil || len(evs) != 1 {
		t.Fatalf("event log %s: %+v %v", name, evs, err)
	}
	v, _ := evs[0].Fields[k].(string)
	if v == "" {
		t.Fatalf("%s has no %s: %+v", name, k, evs[0].Fields)
	}
	return v
}
