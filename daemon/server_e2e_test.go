package daemon_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/config"
	"github.com/jetstream-go/jetstream/daemon/daemontest"
)

var bg = context.Background()

// wantCode asserts err is an API error with code.
func wantCode(t *testing.T, err error, code api.ErrorCode) {
	t.Helper()
	if err == nil {
		t.Fatalf("want error %s, got success", code)
	}
	if got := api.CodeOf(err); got != code {
		t.Fatalf("want error %s, got %s: %v", code, got, err)
	}
}

func TestServerInfoWithoutAuth(t *testing.T) {
	d := daemontest.Start(t)
	c := d.Dial()
	si, err := c.ServerInfo(bg)
	if err != nil {
		t.Fatal(err)
	}
	if si.APIVersion != api.APIVersion || si.ServerUID == "" || si.ServerID == "" || !strings.HasPrefix(si.PublicKey, "ed25519:") {
		t.Fatalf("bad server info: %+v", si)
	}
	if si.License.Required || si.Telemetry {
		t.Fatalf("licence/telemetry: %+v", si)
	}
	uid := si.ServerUID
	d.Restart()
	si2, err := d.Dial().ServerInfo(bg)
	if err != nil {
		t.Fatal(err)
	}
	if si2.ServerUID != uid || si2.ServerID == si.ServerID {
		t.Fatalf("serverUid must persist and serverId change: %s/%s vs %s/%s", uid, si.ServerID, si2.ServerUID, si2.ServerID)
	}
}

func TestAuthRules(t *testing.T) {
	d := daemontest.Start(t)
	d.AddUser("alice", "s3cret-pass", false)
	c := d.Dial()
	wantCode(t, c.Call(bg, "echo", map[string]any{"text": "hi"}, nil), api.CodeAuthRequired)
	wantCode(t, c.Auth(bg, "alice", "wrong"), api.CodeAuthFailed)
	wantCode(t, c.Auth(bg, "nobody-such-user", "x"), api.CodeAuthFailed)
	wantCode(t, c.Call(bg, "authToken", map[string]any{"token": "t"}, nil), api.CodeNotEnabled)
	// authAsync + getRequestResult.
	var ref api.RequestRef
	if err := c.Call(bg, "authAsync", map[string]any{"userName": "alice", "password": "s3cret-pass"}, &ref); err != nil {
		t.Fatal(err)
	}
	if err := c.Result(bg, ref.RequestID, nil); err != nil {
		t.Fatal(err)
	}
	var echo string
	if err := c.Call(bg, "echo", map[string]any{"text": "hi"}, &echo); err != nil || echo != "hi" {
		t.Fatalf("echo = %q, %v", echo, err)
	}
	raw, err := c.CallRaw(bg, "echo", nil)
	if err != nil || string(raw) != "null" {
		t.Fatalf("echo without text = %s, %v", raw, err)
	}
	wantCode(t, c.Superuser(bg), api.CodePermissionDenied)
	si, _ := c.ServerInfo(bg)
	if si.UserName != "alice" || si.Superuser || si.Configuration != nil {
		t.Fatalf("server info after login: %+v", si)
	}
}

func TestSuperuserMethodsRefused(t *testing.T) {
	d := daemontest.Start(t)
	d.AddUser("alice", "pw-alice-1", false)
	c := d.Login("alice", "pw-alice-1")
	calls := map[string]map[string]any{
		"getSandboxMappings":           nil,
		"setSandboxMapping":            {"userName": "bob", "sandboxRoots": map[string]string{"": "/tmp"}},
		"deleteSandboxMapping":         {"userName": "bob"},
		"garbageCollect":               nil,
		"getGarbageCollectSettings":    nil,
		"updateGarbageCollectSettings": {"intervalSeconds": 100},
		"sleep":                        {"milliseconds": 1},
		"terminate":                    nil,
		"updateBandwidthLimits":        {"incomingRateLimit": 100.0},
		"setLicenseKeyAsync":           {"key": "k"},
	}
	for m, p := range calls {
		t.Run(m, func(t *testing.T) {
			wantCode(t, c.Call(bg, m, p, nil), api.CodePermissionDenied)
		})
	}
}

func TestBadRequests(t *testing.T) {
	d := daemontest.Start(t)
	d.AddUser("alice", "pw-alice-1", false)
	c := d.Login("alice", "pw-alice-1")
	tests := []struct {
		method string
		params any
		code   api.ErrorCode
		msg    string
	}{
		{"lsAsyn", map[string]any{"path": "/"}, api.CodeUnknownMethod, "did you mean lsAsync"},
		{"send.nope", nil, api.CodeUnknownMethod, "unknown method"},
		{"lsAsync", map[string]any{"path": "/", "bogus": 1}, api.CodeInvalidParameter, `unknown parameter "bogus"`},
		{"lsAsync", map[string]any{"path": 7}, api.CodeInvalidParameter, "want a string"},
		{"lsAsync", map[string]any{}, api.CodeInvalidParameter, `missing required parameter "path"`},
		{"lsAsync", []int{1}, api.CodeInvalidParameter, "must be a JSON object"},
		{"getEventLog", map[string]any{"limit": 1.5}, api.CodeInvalidParameter, "want an integer"},
		{"getEventLog", map[string]any{"limit": -1}, api.CodeInvalidParameter, "must be >= 0"},
		{"getRequestStatus", map[string]any{"requestId": 99999}, api.CodeNotFound, "expired or was never issued"},
		{"getRequestResult", map[string]any{"requestId": "x"}, api.CodeInvalidParameter, "request id"},
		{"mkdirAsync", map[string]any{"path": ""}, api.CodeInvalidParameter, "must not be empty"},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			err := c.Call(bg, tt.method, tt.params, nil)
			wantCode(t, err, tt.code)
			if !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("message %q does not contain %q", err, tt.msg)
			}
		})
	}
}

func TestFileOperationsInSandbox(t *testing.T) {
	root := daemontest.OpenDir(t)
	d := daemontest.Start(t, daemontest.WithSandbox(filepath.Join(root, "%u")))
	d.AddUser("alice", "pw-alice-1", false)
	daemontest.OwnedDir(t, filepath.Join(root, "alice"), daemontest.BuiltinIdentity(t))
	outside := filepath.Join(root, "secret.txt")
	os.WriteFile(outside, []byte("top secret"), 0o644)
	c := d.Login("alice", "pw-alice-1")

	if err := c.Mkdir(bg, "/a/b/c"); err != nil {
		t.Fatal(err)
	}
	if err := c.Mkdir(bg, "/a/b/c"); err != nil {
		t.Fatalf("mkdir must be idempotent: %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "alice", "a", "b", "c")); err != nil {
		t.Fatalf("mkdir did not land in the sandbox: %v", err)
	}
	os.WriteFile(filepath.Join(root, "alice", "a", "f.txt"), []byte("12345"), 0o644)
	os.Symlink(outside, filepath.Join(root, "alice", "a", "escape"))

	ls, err := c.Ls(bg, "/a", false)
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]int{}
	for _, f := range ls.Files {
		types[f.Name] = f.Type
	}
	if types["b"] != api.FileTypeDirectory || types["f.txt"] != api.FileTypeRegular || types["escape"] != api.FileTypeSymlink {
		t.Fatalf("ls types: %+v", ls.Files)
	}
	dirStat, err := c.Ls(bg, "/a", true)
	if err != nil || len(dirStat.Files) != 1 || dirStat.Files[0].Type != api.FileTypeDirectory {
		t.Fatalf("ls directory=true: %+v %v", dirStat, err)
	}
	du, err := c.Du(bg, "/a")
	if err != nil || du != 5 {
		t.Fatalf("du = %d, %v; want 5", du, err)
	}
	roots, err := c.LsRoots(bg)
	if err != nil || len(roots.Files) == 0 || roots.Files[0].Type != api.FileTypeRoot || roots.Path != "" {
		t.Fatalf("lsRoots: %+v %v", roots, err)
	}
	for _, p := range []string{"/../secret.txt", "../../secret.txt", "/a/escape/x"} {
		_, err := c.Ls(bg, p, false)
		wantCode(t, err, api.CodeOutsideSandbox)
	}
	wantCode(t, c.Rm(bg, "/../secret.txt"), api.CodeOutsideSandbox)
	wantCode(t, c.Mv(bg, "/a/f.txt", "/../stolen.txt"), api.CodeOutsideSandbox)
	if err := c.Mv(bg, "/a/f.txt", "/a/b/g.txt"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "alice", "a", "b", "g.txt")); err != nil {
		t.Fatal("mv did not move the file")
	}
	if err := c.Rm(bg, "/a"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "alice", "a")); !os.IsNotExist(err) {
		t.Fatal("rm is not recursive")
	}
	if b, _ := os.ReadFile(outside); string(b) != "top secret" {
		t.Fatal("file outside the sandbox changed")
	}
	_, err = c.Ls(bg, "/missing", false)
	wantCode(t, err, api.CodeNotFound)
}

func TestSandboxMappingsAndSettings(t *testing.T) {
	d := daemontest.Start(t)
	d.AddUser("admin", "pw-admin-1", true)
	d.AddUser("alice", "pw-alice-1", false)
	su := d.Superuser("admin", "pw-admin-1")
	box := daemontest.OwnedDir(t, filepath.Join(daemontest.OpenDir(t), "box"), daemontest.BuiltinIdentity(t))
	if err := su.Call(bg, "setSandboxMapping", map[string]any{"userName": "alice", "sandboxRoots": map[string]any{"": box, "data": map[string]string{"type": "File", "path": box}}}, nil); err != nil {
		t.Fatal(err)
	}
	wantCode(t, su.Call(bg, "setSandboxMapping", map[string]any{"userName": "alice", "sandboxRoots": map[string]any{"": "relative/path"}}, nil), api.CodeInvalidParameter)
	wantCode(t, su.Call(bg, "setSandboxMapping", map[string]any{"userName": "alice", "sandboxRoots": map[string]any{"": map[string]string{"type": "S3", "path": "/"}}}, nil), api.CodeInvalidParameter)
	var maps map[string]any
	if err := su.Call(bg, "getSandboxMappings", nil, &maps); err != nil || maps["alice"] == nil {
		t.Fatalf("getSandboxMappings = %v, %v", maps, err)
	}
	alice := d.Login("alice", "pw-alice-1")
	roots, err := alice.LsRoots(bg)
	if err != nil || len(roots.Files) != 2 {
		t.Fatalf("alice roots: %+v %v", roots, err)
	}
	if err := alice.Mkdir(bg, "data:/x"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(box, "x")); err != nil {
		t.Fatal("named root did not resolve")
	}
	if err := su.Call(bg, "deleteSandboxMapping", map[string]any{"userName": "alice"}, nil); err != nil {
		t.Fatal(err)
	}
	wantCode(t, su.Call(bg, "deleteSandboxMapping", map[string]any{"userName": "alice"}, nil), api.CodeNotFound)
	// The existing session keeps its sandbox.
	if r, err := alice.LsRoots(bg); err != nil || len(r.Files) != 2 {
		t.Fatal("existing session lost its sandbox")
	}

	// GC settings: ranges, persistence.
	wantCode(t, su.Call(bg, "updateGarbageCollectSettings", map[string]any{"intervalSeconds": 59}, nil), api.CodeInvalidParameter)
	wantCode(t, su.Call(bg, "updateGarbageCollectSettings", map[string]any{"timeLimitSeconds": -1}, nil), api.CodeInvalidParameter)
	var gc api.GarbageCollect
	if err := su.Call(bg, "updateGarbageCollectSettings", map[string]any{"intervalSeconds": 120, "timeLimitSeconds": 0}, &gc); err != nil || gc.IntervalSeconds != 120 {
		t.Fatalf("gc = %+v, %v", gc, err)
	}
	if err := su.Call(bg, "garbageCollect", map[string]any{"force": true}, nil); err != nil {
		t.Fatal(err)
	}
	// Bandwidth and licence, persisted.
	if err := su.Call(bg, "updateBandwidthLimits", map[string]any{"incomingLimitActive": true, "incomingRateLimit": 1500.5}, nil); err != nil {
		t.Fatal(err)
	}
	wantCode(t, su.Call(bg, "updateBandwidthLimits", map[string]any{"outgoingRateLimit": -3}, nil), api.CodeInvalidParameter)
	if err := su.Async(bg, "setLicenseKeyAsync", map[string]any{"key": "ABC"}, nil); err != nil {
		t.Fatal(err)
	}
	wantCode(t, su.Call(bg, "setLicenseKeyAsync", map[string]any{"key": "ABC", "validate": true}, nil), api.CodeNotEnabled)
	d.Restart()
	su = d.Superuser("admin", "pw-admin-1")
	var gc2 api.GarbageCollect
	su.Call(bg, "getGarbageCollectSettings", nil, &gc2)
	si, _ := su.ServerInfo(bg)
	if gc2.IntervalSeconds != 120 || si.BandwidthLimits == nil || si.BandwidthLimits.IncomingRateLimit != 1500.5 || !si.License.KeySet {
		t.Fatalf("settings not persisted: gc %+v info %+v", gc2, si)
	}
	if si.Configuration == nil {
		t.Fatal("superuser must see configuration")
	}
}

func TestLockedBandwidth(t *testing.T) {
	d := daemontest.Start(t, func(c *config.Server) { c.OutgoingRateLimit = 1000 })
	d.AddUser("admin", "pw-admin-1", true)
	su := d.Superuser("admin", "pw-admin-1")
	wantCode(t, su.Call(bg, "updateBandwidthLimits", map[string]any{"outgoingRateLimit": 5.0}, nil), api.CodeLocked)
	if err := su.Call(bg, "updateBandwidthLimits", map[string]any{"incomingRateLimit": 5.0}, nil); err != nil {
		t.Fatal(err)
	}
}

func TestEventLogVisibilityAndFilters(t *testing.T) {
	d := daemontest.Start(t)
	d.AddUser("admin", "pw-admin-1", true)
	d.AddUser("alice", "pw-alice-1", false)
	alice := d.Login("alice", "pw-alice-1")
	su := d.Superuser("admin", "pw-admin-1")
	evs, err := alice.EventLog(bg, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.Name == "serverStarted" || e.Fields["userName"] != "alice" {
			t.Fatalf("alice sees an event that is not hers: %+v", e)
		}
	}
	all, err := su.EventLog(bg, nil)
	if err != nil || len(all) <= len(evs) {
		t.Fatalf("superuser log %d entries vs alice %d: %v", len(all), len(evs), err)
	}
	if all[0].Name != "serverStarted" || all[0].Timestamp == 0 {
		t.Fatalf("first event %+v", all[0])
	}
	one, _ := su.EventLog(bg, map[string]any{"eventName": "authSucceeded", "limit": 1})
	if len(one) != 1 || one[0].Name != "authSucceeded" || one[0].Fields["userName"] != "admin" {
		t.Fatalf("filter+limit: %+v", one)
	}
	after, _ := su.EventLog(bg, map[string]any{"after": time.Now().Add(time.Hour).UnixMicro()})
	if len(after) != 0 {
		t.Fatalf("after filter: %+v", after)
	}
}

func TestWatchStreamsEvents(t *testing.T) {
	d := daemontest.Start(t)
	d.AddUser("alice", "pw-alice-1", false)
	c := d.Login("alice", "pw-alice-1")
	w, err := c.Watch(bg, api.WatchParams{Events: []string{"authSucceeded"}})
	if err != nil {
		t.Fatal(err)
	}
	d.Login("alice", "pw-alice-1")
	ctx, cancel := context.WithTimeout(bg, 10*time.Second)
	defer cancel()
	ev, err := w.Next(ctx)
	if err != nil || ev.Name != "authSucceeded" {
		t.Fatalf("watch: %+v %v", ev, err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestAdminMethods(t *testing.T) {
	d := daemontest.Start(t)
	d.AddUser("admin", "pw-admin-1", true)
	su := d.Superuser("admin", "pw-admin-1")
	if err := su.Call(bg, "sleep", map[string]any{"milliseconds": 10}, nil); err != nil {
		t.Fatal(err)
	}
	wantCode(t, su.Call(bg, "sleep", map[string]any{"milliseconds": -1}, nil), api.CodeInvalidParameter)
	var lic map[string]string
	if err := su.Call(bg, "getThirdPartyLicenses", nil, &lic); err != nil || len(lic) == 0 {
		t.Fatalf("licences: %d, %v", len(lic), err)
	}
	if err := su.Call(bg, "terminate", nil, nil); err != nil {
		t.Fatal(err)
	}
	select {
	case <-d.Srv.Terminated():
	case <-time.After(5 * time.Second):
		t.Fatal("terminate did not signal")
	}
}

func TestRequestsArePrivate(t *testing.T) {
	d := daemontest.Start(t)
	d.AddUser("alice", "pw-alice-1", false)
	d.AddUser("bob", "pw-bob-12", false)
	alice := d.Login("alice", "pw-alice-1")
	bob := d.Login("bob", "pw-bob-12")
	var ref api.RequestRef
	if err := alice.Call(bg, "lsRootsAsync", nil, &ref); err != nil {
		t.Fatal(err)
	}
	wantCode(t, bob.Call(bg, "getRequestStatus", map[string]any{"requestId": ref.RequestID}, nil), api.CodeNotFound)
	var st api.RequestStatus
	if err := alice.Call(bg, "getRequestStatus", map[string]any{"requestId": map[string]any{"requestId": ref.RequestID}}, &st); err != nil {
		t.Fatal(err)
	}
	var res json.RawMessage
	if err := alice.Result(bg, ref.RequestID, &res); err != nil || len(res) == 0 {
		t.Fatalf("result: %s %v", res, err)
	}
}
