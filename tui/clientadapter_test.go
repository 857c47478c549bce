package tui

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/tui/common"
)

// dialFake connects an adapter to a fake server with a fresh pin file.
func dialFake(t *testing.T, s *fakeServer) (*ClientAdapter, string) {
	t.Helper()
	s.handle("auth", func(p map[string]any) (any, *api.Error) {
		if p["password"] != "pw" {
			return nil, api.Errorf(api.CodeAuthFailed, "authentication failed")
		}
		return nil, nil
	})
	pins := filepath.Join(t.TempDir(), "known_hosts")
	var pinned string
	conn := DialConnector{KnownHosts: pins, DialTimeout: 5 * time.Second}
	cl, err := conn.Connect(context.Background(), common.ConnectRequest{
		Location: common.Location{Address: "127.0.0.1", APIPort: s.Port, User: "bob"},
		Password: "pw",
		OnPin:    func(addr, fp, file string) { pinned = addr + " " + file },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	return cl.(*ClientAdapter), pinned
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestDialConnectorPinsAndAuthenticates(t *testing.T) {
	s := newFakeServer(t)
	_, pinned := dialFake(t, s)
	if pinned == "" {
		t.Error("OnPin was not called on the first connection")
	}
	auth, ok := s.params("auth")
	if !ok || auth["userName"] != "bob" || auth["password"] != "pw" {
		t.Errorf("auth params = %v", auth)
	}
}

func TestDialConnectorWrongPassword(t *testing.T) {
	s := newFakeServer(t)
	s.handle("auth", func(map[string]any) (any, *api.Error) {
		return nil, api.Errorf(api.CodeAuthFailed, "authentication failed")
	})
	_, err := DialConnector{KnownHosts: filepath.Join(t.TempDir(), "kh")}.Connect(ctx(t), common.ConnectRequest{
		Location: common.Location{Address: "127.0.0.1", APIPort: s.Port, User: "bob"}, Password: "bad"})
	if api.CodeOf(err) != api.CodeAuthFailed {
		t.Fatalf("err = %v, want auth_failed", err)
	}
}

func TestDialConnectorUnreachable(t *testing.T) {
	s := newFakeServer(t)
	port := s.Port
	s.ln.Close()
	_, err := DialConnector{KnownHosts: filepath.Join(t.TempDir(), "kh"), DialTimeout: 2 * time.Second}.Connect(ctx(t),
		common.ConnectRequest{Location: common.Location{Address: "127.0.0.1", APIPort: port}})
	var ce *client.ConnectError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a ConnectError", err)
	}
}

func TestAdapterFileCalls(t *testing.T) {
	s := newFakeServer(t)
	a, _ := dialFake(t, s)
	s.reply("lsRootsAsync", api.LsResult{Files: []api.FileEntry{{Name: "data", Type: api.FileTypeRoot}}})
	s.reply("lsAsync", api.LsResult{Path: "data:/x", Files: []api.FileEntry{{Name: "f", Type: api.FileTypeRegular, Size: 3}}})
	s.reply("duAsync", api.DuResult{Du: 12345})
	for _, m := range []string{"mkdirAsync", "mvAsync", "rmAsync"} {
		s.reply(m, map[string]any{})
	}
	c := ctx(t)
	roots, err := a.LsRoots(c)
	if err != nil || len(roots.Files) != 1 || roots.Files[0].Name != "data" {
		t.Fatalf("LsRoots = %v, %v", roots, err)
	}
	ls, err := a.Ls(c, "data:/x")
	if err != nil || len(ls.Files) != 1 || ls.Files[0].Size != 3 {
		t.Fatalf("Ls = %v, %v", ls, err)
	}
	if n, err := a.Du(c, "data:/x"); err != nil || n != 12345 {
		t.Fatalf("Du = %d, %v", n, err)
	}
	if err := a.Mkdir(c, "data:/new"); err != nil {
		t.Fatal(err)
	}
	if err := a.Mv(c, "data:/a", "data:/b"); err != nil {
		t.Fatal(err)
	}
	if err := a.Rm(c, "data:/b"); err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]any{
		"lsAsync":    {"path": "data:/x", "directory": false},
		"duAsync":    {"path": "data:/x"},
		"mkdirAsync": {"path": "data:/new"},
		"mvAsync":    {"path": "data:/a", "newPath": "data:/b"},
		"rmAsync":    {"path": "data:/b"},
	}
	for m, w := range want {
		if got, _ := s.params(m); !reflect.DeepEqual(got, w) {
			t.Errorf("%s params = %v, want %v", m, got, w)
		}
	}
}

func TestAdapterTransferActions(t *testing.T) {
	s := newFakeServer(t)
	a, _ := dialFake(t, s)
	for _, m := range []string{"send.suspendTransfer", "send.resumeTransfer", "send.cancelTransfer"} {
		s.reply(m, map[string]any{})
	}
	tests := []struct {
		action common.TransferAction
		method string
	}{
		{common.ActionSuspend, "send.suspendTransfer"},
		{common.ActionResume, "send.resumeTransfer"},
		{common.ActionCancel, "send.cancelTransfer"},
	}
	for _, tt := range tests {
		if err := a.TransferAction(ctx(t), tt.action, "tr-1"); err != nil {
			t.Fatalf("%s: %v", tt.action, err)
		}
		if p, ok := s.params(tt.method); !ok || p["transferId"] != "tr-1" {
			t.Errorf("%s: %s params = %v", tt.action, tt.method, p)
		}
	}
	if err := a.TransferAction(ctx(t), "explode", "tr-1"); err == nil {
		t.Error("unknown action accepted")
	}
	// A server without the method: a clear not_enabled error.
	err := a.SetPriority(ctx(t), "tr-1", 3)
	if api.CodeOf(err) != api.CodeNotEnabled || !strings.Contains(err.Error(), "cannot change transfer priorities") {
		t.Errorf("SetPriority on an old server: err = %v, want not_enabled saying priorities cannot change", err)
	}
	s.reply(SetPriorityMethod, api.Transfer{TransferID: "tr-1", Priority: 3})
	if err := a.SetPriority(ctx(t), "tr-1", -2); err != nil {
		t.Fatalf("SetPriority: %v", err)
	}
	var last map[string]any
	for _, c := range s.callLog() {
		if c.Method == SetPriorityMethod {
			last = c.Params
		}
	}
	if want := map[string]any{"transferId": "tr-1", "priority": -2.0}; !reflect.DeepEqual(last, want) {
		t.Errorf("%s params = %v, want %v", SetPriorityMethod, last, want)
	}
	// Other server errors pass through with their code.
	s.handle(SetPriorityMethod, func(map[string]any) (any, *api.Error) {
		return nil, api.Errorf(api.CodeConflict, "transfer tr-1 is complete")
	})
	if err := a.SetPriority(ctx(t), "tr-1", 1); api.CodeOf(err) != api.CodeConflict {
		t.Errorf("SetPriority conflict: err = %v", err)
	}
}

func TestAdapterEventLogAndWatch(t *testing.T) {
	s := newFakeServer(t)
	a, _ := dialFake(t, s)
	s.reply("getEventLog", api.EventLog{EventLog: []api.Event{{Name: "serverStarted", Timestamp: 5}}})
	s.mu.Lock()
	s.events = []api.Event{{Name: "transferProgress", Timestamp: 7, Fields: map[string]any{"transferId": "tr-1"}}}
	s.mu.Unlock()
	evs, err := a.EventLog(ctx(t), common.EventFilter{Name: "serverStarted", After: 1, Before: 9, Limit: 10})
	if err != nil || len(evs) != 1 || evs[0].Name != "serverStarted" {
		t.Fatalf("EventLog = %v, %v", evs, err)
	}
	p, _ := s.params("getEventLog")
	want := map[string]any{"eventName": "serverStarted", "after": 1.0, "before": 9.0, "limit": 10.0}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("getEventLog params = %v, want %v", p, want)
	}
	w, err := a.Watch(ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := w.Next(ctx(t))
	if err != nil || ev.Name != "transferProgress" || ev.Fields["transferId"] != "tr-1" {
		t.Fatalf("Next = %v, %v", ev, err)
	}
}

func TestAdapterStartTransferRemoteToRemote(t *testing.T) {
	s := newFakeServer(t)
	a, _ := dialFake(t, s)
	s.reply("send.createDestination", api.Destination{DestinationID: "d-1"})
	s.reply("send.createManifest", api.Manifest{ManifestID: "m-1", Status: api.ManifestPending, Processing: true})
	s.reply("send.waitForManifest", api.Manifest{ManifestID: "m-1", Status: api.ManifestComplete})
	s.reply("send.createTransfer", api.Transfer{TransferID: "tr-9"})
	spec := common.TransferSpec{
		Direction: common.RemoteToRemote,
		Files:     []common.TransferFile{{Source: "data:/a.bin", Target: "a.bin"}, {Source: "data:/dir", Target: "dir (1)"}},
		DestDir:   "/backup",
		Overwrite: api.OverwriteAlways,
		Destination: &common.Location{Name: "beta", Address: "10.0.0.7", User: "backup",
			Rate: "500M", MinRate: "10M", Cipher: "aes256", Policy: "low"},
		DestinationPassword: "s3cret",
	}
	id, err := a.StartTransfer(ctx(t), spec)
	if err != nil || id != "tr-9" {
		t.Fatalf("StartTransfer = %q, %v", id, err)
	}
	dp, _ := s.params("send.createDestination")
	wantD := map[string]any{"destinationAddress": "10.0.0.7", "destinationApiPort": 8886.0, "userName": "backup",
		"password": "s3cret", "sendRateMax": 500000.0, "minRate": 10000.0, "policy": "low"}
	if !reflect.DeepEqual(dp, wantD) {
		t.Errorf("createDestination params = %v\nwant %v", dp, wantD)
	}
	mp, _ := s.params("send.createManifest")
	wantM := map[string]any{"fileMappings": map[string]any{"data:/a.bin": "a.bin", "data:/dir": "dir (1)"}}
	if !reflect.DeepEqual(mp, wantM) {
		t.Errorf("createManifest params = %v", mp)
	}
	if _, ok := s.params("send.waitForManifest"); !ok {
		t.Error("a pending manifest was not waited for")
	}
	tp, _ := s.params("send.createTransfer")
	wantT := map[string]any{"destinationId": "d-1", "manifestId": "m-1", "destinationPath": "/backup",
		"overwrite": 4.0, "minCipher": 3.0}
	if !reflect.DeepEqual(tp, wantT) {
		t.Errorf("createTransfer params = %v\nwant %v", tp, wantT)
	}
}

func TestAdapterStartTransferManifestError(t *testing.T) {
	s := newFakeServer(t)
	a, _ := dialFake(t, s)
	msg := "data:/nope: no such file"
	s.reply("send.createDestination", api.Destination{DestinationID: "d-1"})
	s.reply("send.createManifest", api.Manifest{ManifestID: "m-1", Status: api.ManifestError, ErrorMessage: &msg})
	_, err := a.StartTransfer(ctx(t), common.TransferSpec{
		Direction: common.RemoteToRemote, Files: []common.TransferFile{{Source: "data:/nope", Target: "nope"}},
		DestDir: "/", Destination: &common.Location{Address: "h"},
	})
	if err == nil || !strings.Contains(err.Error(), msg) {
		t.Fatalf("err = %v, want the manifest's message", err)
	}
	if _, ok := s.params("send.createTransfer"); ok {
		t.Error("a transfer was created from a failed manifest")
	}
}

func TestAdapterStartTransferRefusals(t *testing.T) {
	s := newFakeServer(t)
	a, _ := dialFake(t, s)
	files := []common.TransferFile{{Source: "/l/a", Target: "a"}}
	tests := []struct {
		name string
		spec common.TransferSpec
		want error
	}{
		{"upload", common.TransferSpec{Direction: common.Upload, Files: files, DestDir: "data:/"}, ErrDirectTransfer},
		{"download", common.TransferSpec{Direction: common.Download, Files: files, DestDir: "/tmp"}, ErrDirectTransfer},
		{"no files", common.TransferSpec{Direction: common.Upload}, nil},
		{"no destination", common.TransferSpec{Direction: common.RemoteToRemote, Files: files}, nil},
		{"bad direction", common.TransferSpec{Direction: 42, Files: files}, nil},
		{"empty target", common.TransferSpec{Direction: common.Upload, Files: []common.TransferFile{{Source: "/a"}}}, nil},
		{"duplicate", common.TransferSpec{Direction: common.Upload, Files: append(files, files...)}, nil},
		{"bad rate", common.TransferSpec{Direction: common.RemoteToRemote, Files: files,
			Destination: &common.Location{Address: "h", Rate: "fast"}}, nil},
	}
	before := len(s.callLog())
	for _, tt := range tests {
		_, err := a.StartTransfer(ctx(t), tt.spec)
		if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
	if after := len(s.callLog()); after != before {
		t.Errorf("refused specs reached the server: %v", s.callLog()[before:])
	}
}

func TestDialConnectorDefaultUserAndWrap(t *testing.T) {
	s := newFakeServer(t)
	s.reply("auth", nil)
	var wrapped bool
	conn := DialConnector{KnownHosts: filepath.Join(t.TempDir(), "kh"), DefaultUser: "carol",
		Wrap: func(c *client.Client, req common.ConnectRequest) common.Client {
			wrapped = req.Location.APIPort == s.Port
			return NewClientAdapter(c)
		}}
	cl, err := conn.Connect(ctx(t), common.ConnectRequest{Location: common.Location{Address: "127.0.0.1", APIPort: s.Port}, Password: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if auth, _ := s.params("auth"); auth["userName"] != "carol" {
		t.Errorf("auth params = %v, want the default user", auth)
	}
	if !wrapped {
		t.Error("Wrap was not used")
	}
}
