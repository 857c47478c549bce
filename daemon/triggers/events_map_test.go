package triggers

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestForEvent(t *testing.T) {
	files := []any{
		map[string]any{"inputPath": "/src/foo.txt", "outputPath": "/data/alice/dst/bar.txt"},
		map[string]any{"inputPath": "/src/a b.txt", "outputPath": "/data/alice/dst/a b.txt"},
		map[string]any{"inputPath": "/src/evil\n/etc/passwd", "outputPath": "/data/alice/x"},
		map[string]any{"inputPath": "tab\tname", "outputPath": "/data/alice/y"},
	}
	jsonStdin := `{"inputFiles":["/src/foo.txt","/src/a b.txt","/src/evil\n/etc/passwd","tab\tname"],` +
		`"outputFiles":["/data/alice/dst/bar.txt","/data/alice/dst/a b.txt","/data/alice/x","/data/alice/y"],` +
		`"userData":{"project":"<x&y>"}}`
	lines := "/src/foo.txt\t/data/alice/dst/bar.txt\n/src/a b.txt\t/data/alice/dst/a b.txt\n"
	for _, tc := range []struct {
		name   string
		event  string
		fields map[string]any
		want   []Call
	}{
		{"launch", "serverStarted", map[string]any{"serverId": "x", "apiPort": 8886},
			[]Call{{Name: "launch", Args: []string{"8886"}}}},
		{"launch float port", "serverStarted", map[string]any{"apiPort": float64(40123)},
			[]Call{{Name: "launch", Args: []string{"40123"}}}},
		{"destination created", "destinationCreated",
			map[string]any{"destinationId": "d1", "destinationAddress": "10.1.2.3:8886", "clientAddress": "127.0.0.1:5555"},
			[]Call{{Name: "send.destinationCreated", Args: []string{"10.1.2.3:8886", "127.0.0.1:5555"}}}},
		{"destination deleted, client unknown", "destinationDeleted", map[string]any{"destinationAddress": "10.1.2.3:8886"},
			[]Call{{Name: "send.destinationDeleted", Args: []string{"10.1.2.3:8886", ""}}}},
		{"recv started with metadata", "recvTransferStarted",
			map[string]any{"transferId": "t1", "userName": "alice", "token": "",
				"metadata": map[string]any{"inputFiles": []string{"/a"}, "outputFiles": []string{"/o/a"}, "userData": map[string]any{}}},
			[]Call{{Name: "recv.transferStarted", Args: []string{"t1", "alice"},
				Stdin: []byte(`{"inputFiles":["/a"],"outputFiles":["/o/a"],"userData":{}}`)}}},
		{"recv started, daemon metadata", "recvTransferStarted",
			map[string]any{"transferId": "t1", "userName": "alice", "token": "",
				"metadata": map[string]any{"transferId": "t1", "destinationPath": "/in", "totalSize": 10, "userData": nil}},
			[]Call{{Name: "recv.transferStarted", Args: []string{"t1", "alice"},
				Stdin: []byte(`{"destinationPath":"/in","inputFiles":[],"outputFiles":[],"totalSize":10,"transferId":"t1","userData":{}}`)}}},
		{"recv started without metadata", "recvTransferStarted", map[string]any{"transferId": "t1", "userName": "alice"},
			[]Call{{Name: "recv.transferStarted", Args: []string{"t1", "alice"},
				Stdin: []byte(`{"inputFiles":[],"outputFiles":[],"userData":{}}`)}}},
		{"recv complete, password login", "recvTransferComplete",
			map[string]any{"transferId": "t1", "userName": "alice", "token": "", "files": files,
				"userData": map[string]any{"project": "<x&y>"}},
			[]Call{
				{Name: "recv.transferComplete", Args: []string{"t1", "alice"}, Stdin: []byte(lines)},
				{Name: "recv.transferComplete.json", Args: []string{"t1", "alice"}, Stdin: []byte(jsonStdin)},
			}},
		{"recv complete, token", "recvTransferComplete",
			map[string]any{"transferId": "t2", "userName": "bob", "token": "tok1"},
			[]Call{
				{Name: "recv.transferComplete", Args: []string{"t2", "bob", "tok1"}},
				{Name: "recv.transferComplete.json", Args: []string{"t2", "bob", "tok1"},
					Stdin: []byte(`{"inputFiles":[],"outputFiles":[],"userData":{}}`)},
			}},
		{"recv failed", "recvTransferFailed", map[string]any{"transferId": "t1", "userName": "alice", "errorMessage": "disk\x00full"},
			[]Call{{Name: "recv.transferFailed", Args: []string{"t1", "alice", "disk\uFFFDfull"}}}},
		{"send complete", "transferComplete", map[string]any{"transferId": "t9", "owner": "carol", "bytes": 5},
			[]Call{{Name: "send.transferComplete", Args: []string{"t9", "carol"}}}},
		{"send failed", "transferFailed", map[string]any{"transferId": "t9", "owner": "carol", "errorMessage": "peer gone"},
			[]Call{{Name: "send.transferFailed", Args: []string{"t9", "carol", "peer gone"}}}},
		{"non-string id", "transferFailed", map[string]any{"transferId": map[string]any{"a": 1}, "owner": true},
			[]Call{{Name: "send.transferFailed", Args: []string{`{"a":1}`, "true", ""}}}},
		{"nil fields", "serverStarted", nil, []Call{{Name: "launch", Args: []string{""}}}},
		{"not a trigger event", "transferProgress", map[string]any{"transferId": "t1"}, nil},
		{"gc", "gcRun", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ForEvent(tc.event, tc.fields)
			if !reflect.DeepEqual(normCalls(got), normCalls(tc.want)) {
				t.Errorf("ForEvent(%s):\n got %q\nwant %q", tc.event, got, tc.want)
			}
			for _, c := range got {
				if !ValidName(c.Name) {
					t.Errorf("invalid trigger name %q", c.Name)
				}
			}
		})
	}
}

// normCalls makes nil and empty Stdin compare equal.
func normCalls(cs []Call) []Call {
	out := make([]Call, len(cs))
	for i, c := range cs {
		if len(c.Stdin) == 0 {
			c.Stdin = nil
		}
		out[i] = c
	}
	return out
}

// FuzzForEvent: any event fields (as the bus would carry them after a JSON
// round trip) map without panicking to valid names and exec-safe arguments.
func FuzzForEvent(f *testing.F) {
	for _, s := range []string{
		`{"apiPort": 8886}`,
		`{"transferId":"t","userName":"u","token":"k","files":[{"inputPath":"a","outputPath":"b"}],"userData":{"k":1}}`,
		`{"files":[1,"x",null,{"inputPath":5}],"userData":[],"metadata":"m"}`,
		`{"destinationAddress":"1.2.3.4:5","clientAddress":null}`,
	} {
		for _, ev := range []string{"serverStarted", "recvTransferComplete", "recvTransferStarted", "destinationCreated", "transferFailed"} {
			f.Add(ev, s)
		}
	}
	f.Fuzz(func(t *testing.T, event, doc string) {
		var fields map[string]any
		if json.Unmarshal([]byte(doc), &fields) != nil {
			return
		}
		for _, c := range ForEvent(event, fields) {
			if !ValidName(c.Name) {
				t.Fatalf("invalid name %q", c.Name)
			}
			for _, a := range c.Args {
				for i := 0; i < len(a); i++ {
					if a[i] == 0 {
						t.Fatalf("NUL in argument %q", a)
					}
				}
			}
			if c.Name == RecvTransferCompleteJSON || c.Name == RecvTransferStarted {
				if !json.Valid(c.Stdin) {
					t.Fatalf("%s stdin is not JSON: %q", c.Name, c.Stdin)
				}
			}
		}
	})
}

func TestTriggersFor(t *testing.T) {
	for ev, want := range map[string][]string{
		"serverStarted":        {"launch"},
		"recvTransferComplete": {"recv.transferComplete", "recv.transferComplete.json"},
		"transferFailed":       {"send.transferFailed"},
		"transferUpdated":      nil,
	} {
		got := TriggersFor(ev)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("TriggersFor(%s) = %q, want %q", ev, got, want)
		}
		var names []string
		for _, c := range ForEvent(ev, nil) {
			names = append(names, c.Name)
		}
		if !reflect.DeepEqual(names, want) {
			t.Errorf("ForEvent(%s) starts %q, TriggersFor says %q", ev, names, want)
		}
	}
}
