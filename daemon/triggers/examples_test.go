package triggers

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestProductExamples runs the example trigger scripts of the product's
// documentation (reference/003 and 004), copied verbatim into
// testdata/examples, on the calls that ForEvent and ForAPICall make, and
// checks the log lines the documentation shows.
//
// Two notes on "verbatim": the documents' HTML-to-text rendering turned the
// tab in the file-list loop's IFS="<tab>" into spaces (003: three, 004: one);
// 003-fileList and 004-fileList keep the original tab and 004-fileList-space
// the rendered single space (it runs, but cannot split a tab-separated
// line). 003's loop also lost its closing "done", restored here.
func TestProductExamples(t *testing.T) {
	var python string // a directory with "python" for "#!/usr/bin/env python"
	if p3, err := exec.LookPath("python3"); err == nil {
		// The interpreter itself, not a version-manager shim.
		out, err := exec.Command(p3, "-c", "import sys; print(sys.executable)").Output()
		if err != nil {
			t.Fatalf("python3: %v", err)
		}
		python = t.TempDir()
		if err := os.Symlink(strings.TrimSpace(string(out)), filepath.Join(python, "python")); err != nil {
			t.Fatal(err)
		}
	}
	created := ForEvent(EventDestinationCreated, map[string]any{"destinationId": "d1",
		"destinationAddress": "10.0.0.2:8886", "clientAddress": "127.0.0.1:50123"})
	deleted := ForEvent(EventDestinationDeleted, map[string]any{"destinationId": "d1",
		"destinationAddress": "10.0.0.2:8886", "clientAddress": "127.0.0.1:50124"})
	complete := func(dir string) []Call {
		return ForEvent(EventRecvTransferComplete, map[string]any{
			"transferId": "7c1e", "userName": "alice", "token": "",
			"files": []any{
				map[string]any{"inputPath": "/src/foo.txt", "outputPath": filepath.Join(dir, "dst/bar.txt")},
				map[string]any{"inputPath": "/src/b.txt", "outputPath": filepath.Join(dir, "dst/b.txt")},
			},
			"userData": map[string]any{"project": "apollo"},
		})
	}
	manifest, _ := ForAPICall("send.createManifest", json.RawMessage(`{"fileMappings": {"/src/foo.txt": "/dst/bar.txt"}}`),
		"success", "Manifest requested.",
		json.RawMessage(`{"status": "pending", "processing": true, "manifestId": "ebec4994ea77a55c0100000000000022", "totalFiles": null, "totalSize": null, "errorMessage": null}`))
	launch := ForEvent(EventServerStarted, map[string]any{"serverId": "s", "apiPort": 8886})

	for _, tc := range []struct {
		dir    string
		python bool
		calls  func(dir string) []Call
		want   string // log.txt; DIR stands for the trigger directory
	}{
		{dir: "003-launch", calls: fixed(launch), want: "JetStream server Launched on port 8886\n"},
		{dir: "004-launch", calls: fixed(launch), want: "JetStream server Launched on port 8886\n"},
		{dir: "003-destinationCreated", calls: fixed(created), want: "Sender 127.0.0.1:50123 created destination 10.0.0.2:8886\n"},
		{dir: "004-destinationCreated", calls: fixed(created), want: "Sender 127.0.0.1:50123 created destination 10.0.0.2:8886\n"},
		{dir: "003-destinationDeleted", calls: fixed(deleted), want: "Sender 127.0.0.1:50124 deleted destination 10.0.0.2:8886\n"},
		{dir: "004-destinationDeleted", calls: fixed(deleted), want: "Sender 127.0.0.1:50124 deleted destination 10.0.0.2:8886\n"},
		{dir: "003-transferComplete", calls: complete, want: "Transfer ID 7c1e initiated by alice is complete.\n"},
		{dir: "004-transferComplete", calls: complete, want: "Transfer ID 7c1e initiated by alice is complete.\n"},
		{dir: "003-fileList", calls: complete, want: "manifest file: /src/foo.txt, file path: DIR/dst/bar.txt\n" +
			"manifest file: /src/b.txt, file path: DIR/dst/b.txt\n"},
		{dir: "004-fileList", calls: complete, want: "manifest file: /src/foo.txt, file path: DIR/dst/bar.txt\n" +
			"manifest file: /src/b.txt, file path: DIR/dst/b.txt\n"},
		{dir: "004-fileList-space", calls: complete, want: "manifest file: /src/foo.txt DIR/dst/bar.txt, file path:\n" +
			"manifest file: /src/b.txt DIR/dst/b.txt, file path:\n"},
		{dir: "004-transferComplete.json", python: true, calls: complete, want: "Transfer: '7c1e'\n" +
			"UserName: 'alice'\n" +
			"Input Files: ['/src/foo.txt', '/src/b.txt']\n" +
			"Output Files: ['DIR/dst/bar.txt', 'DIR/dst/b.txt']\n" +
			"User Data: {'project': 'apollo'}\n"},
		// The documented output, with Python 3's repr (no u'' prefixes) and
		// the Result line unwrapped.
		{dir: "004-on.send.createManifest", python: true, calls: fixed([]Call{manifest}), want: "Message: 'Manifest requested.'\n" +
			"Status: 'success'\n" +
			"Command: {'request': 'send.createManifest', 'parameters': {'fileMappings': {'/src/foo.txt': '/dst/bar.txt'}}}\n" +
			"Result: {'status': 'pending', 'processing': True, 'manifestId': 'ebec4994ea77a55c0100000000000022', " +
			"'totalFiles': None, 'totalSize': None, 'errorMessage': None}\n"},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			if tc.python && python == "" {
				t.Skip("python3 is not installed")
			}
			dir := t.TempDir()
			ents, err := os.ReadDir(filepath.Join("testdata/examples", tc.dir))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range ents {
				b, err := os.ReadFile(filepath.Join("testdata/examples", tc.dir, e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				script(t, dir, e.Name(), string(b))
			}
			var log syncBuffer
			r, res := newRunner(t, Config{Dir: dir, Log: &log, Environ: func() []string {
				env := os.Environ()
				if python != "" {
					env = append(env, "PATH="+python+string(os.PathListSeparator)+os.Getenv("PATH"))
				}
				return env
			}})
			n := 0
			for _, c := range tc.calls(dir) {
				switch err := r.Fire(c); err {
				case nil:
					n++
				case ErrNoTrigger:
				default:
					t.Fatal(err)
				}
			}
			if n != 1 {
				t.Fatalf("%d triggers fired, want 1", n)
			}
			if got := res.next(t); got.Err != nil {
				t.Fatalf("%s: %v\ntrigger log:\n%s", got.Call.Name, got.Err, log.String())
			}
			b, err := os.ReadFile(filepath.Join(dir, "log.txt"))
			if err != nil {
				t.Fatalf("%v\ntrigger log:\n%s", err, log.String())
			}
			if want := strings.ReplaceAll(tc.want, "DIR", r.Dir()); string(b) != want {
				t.Errorf("log.txt:\n%s\nwant:\n%s", b, want)
			}
		})
	}
}

func fixed(cs []Call) func(string) []Call { return func(string) []Call { return cs } }
