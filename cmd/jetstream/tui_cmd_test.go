package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jetstream-go/jetstream/net/engine"
	"github.com/jetstream-go/jetstream/tui"
	"github.com/jetstream-go/jetstream/tui/common"
)

func TestTUIRefusesWithoutTerminal(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"tui"}, strings.NewReader(""), &out, &errb)
	if code != exitUsage || !strings.Contains(errb.String(), "tui needs a terminal") {
		t.Fatalf("exit %d, stderr %q; want %d and a clear message", code, errb.String(), exitUsage)
	}
	// A regular file is not a terminal either.
	f, err := os.Create(filepath.Join(t.TempDir(), "in"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if code := run([]string{"tui"}, f, f, &errb); code != exitUsage {
		t.Fatalf("files as streams: exit %d", code)
	}
}

func TestTUIOptions(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		password string
		check    func(t *testing.T, o tui.Options)
	}{
		{"target takes the env password", []string{"tui", "--no-color", "bob@host:9000"}, "s3cret", func(t *testing.T, o tui.Options) {
			if o.Target != "bob@host:9000" || o.Password != "s3cret" || !o.NoColor {
				t.Errorf("options = %+v", o)
			}
		}},
		{"no target: no password", []string{"tui"}, "s3cret", func(t *testing.T, o tui.Options) {
			if o.Target != "" || o.Password != "" || o.NoColor {
				t.Errorf("options = %+v", o)
			}
		}},
		{"files and pins", []string{"tui", "--config", "/x/c.toml", "--known-hosts", "/x/kh", "--local-dir", "."}, "", func(t *testing.T, o tui.Options) {
			dc, ok := o.Connector.(tui.DialConnector)
			if !ok || dc.KnownHosts != "/x/kh" || dc.Wrap == nil || dc.DefaultUser != "carol" {
				t.Errorf("connector = %#v", o.Connector)
			}
			if o.ConfigPath != "/x/c.toml" {
				t.Errorf("config = %q", o.ConfigPath)
			}
			if fs, ok := o.LocalFS.(tui.OSFS); !ok || fs.Start == "" {
				t.Errorf("local fs = %#v", o.LocalFS)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("JETSTREAM_API_PASSWORD", tt.password)
			t.Setenv("JETSTREAM_USER", "carol")
			var got *tui.Options
			tuiRunHook = func(_ context.Context, o tui.Options) error { got = &o; return nil }
			t.Cleanup(func() { tuiRunHook = nil })
			var out, errb bytes.Buffer
			if code := run(tt.args, strings.NewReader(""), &out, &errb); code != exitOK || got == nil {
				t.Fatalf("exit %d; stderr %s", code, errb.String())
			}
			tt.check(t, *got)
		})
	}
	tuiRunHook = func(context.Context, tui.Options) error { return errors.New("boom") }
	t.Cleanup(func() { tuiRunHook = nil })
	var out, errb bytes.Buffer
	if code := run([]string{"tui"}, strings.NewReader(""), &out, &errb); code != exitFailed || !strings.Contains(errb.String(), "boom") {
		t.Errorf("failing TUI: exit %d, stderr %q", code, errb.String())
	}
}

func TestCollectUpload(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(dir, "a.txt"), []byte("hello"), 0o644))
	must(os.MkdirAll(filepath.Join(dir, "d", "sub"), 0o755))
	must(os.MkdirAll(filepath.Join(dir, "d", "empty"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "d", "sub", "b.txt"), []byte("12345678"), 0o600))
	files, err := collectUpload(context.Background(), []common.TransferFile{
		{Source: filepath.Join(dir, "a.txt"), Target: "a (1).txt"},
		{Source: filepath.Join(dir, "d"), Target: "d"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]engine.SourceFile{}
	for _, f := range files {
		got[f.TargetPath] = f
	}
	if f := got["a (1).txt"]; f.Size != 5 || f.LocalPath != filepath.Join(dir, "a.txt") {
		t.Errorf("renamed file: %+v", f)
	}
	if f := got["d/sub/b.txt"]; f.Size != 8 || f.Mode != 0o600 || f.LocalPath != filepath.Join(dir, "d", "sub", "b.txt") {
		t.Errorf("file in a directory: %+v", f)
	}
	if f := got["d/empty"]; !f.EmptyDir || f.Size != 0 {
		t.Errorf("empty directory: %+v", f)
	}
	if len(files) != 3 {
		t.Errorf("files = %+v", files)
	}
	if _, err := collectUpload(context.Background(), []common.TransferFile{{Source: filepath.Join(dir, "gone"), Target: "gone"}}); err == nil {
		t.Error("a missing source was accepted")
	}
}

func TestDirectOutcome(t *testing.T) {
	fail := &engine.Error{Code: engine.CodeHashMismatch, Msg: "hash mismatch"}
	tests := []struct {
		name    string
		results []engine.FileResult
		stats   engine.Stats
		err     error
		want    string // "" = success
	}{
		{"all fine", []engine.FileResult{{Path: "a"}}, engine.Stats{FilesDone: 1}, nil, ""},
		{"session error wins", nil, engine.Stats{}, errors.New("peer timeout"), "peer timeout"},
		{"one file failed", []engine.FileResult{{Path: "a"}, {Path: "b", Err: fail}}, engine.Stats{}, nil, "b: "},
		{"several failed", []engine.FileResult{{Path: "b", Err: fail}, {Path: "c", Err: fail}}, engine.Stats{}, nil, "2 files failed; first b: "},
		{"counted by the engine only", nil, engine.Stats{FilesFailed: 3}, nil, "3 files failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f failures
			for _, r := range tt.results {
				f.FileDone(r)
			}
			err := f.result(tt.stats, tt.err)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("err = %v, want success", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestProgressOf(t *testing.T) {
	st := engine.Stats{TotalBytes: 100, BytesAcked: 40, BytesSent: 50, BlocksSent: 5, BlocksRetransmitted: 1, FilesDone: 1, CurrentFile: "x"}
	p := progressOf(st, 3, 1000)
	if p.TotalBytes != 1000 || p.TotalFiles != 3 || p.BytesDone != 40 || p.BlocksRetransmitted != 1 || p.CurrentFile != "x" {
		t.Errorf("sender progress = %+v", p)
	}
	if p := progressOf(st, 0, 0); p.TotalBytes != 100 || p.TotalFiles != 0 {
		t.Errorf("receiver progress = %+v", p)
	}
	if a, b := tuiTransferKey(), tuiTransferKey(); a == b || !strings.HasPrefix(a, "tui-") {
		t.Errorf("transfer keys %q, %q", a, b)
	}
}
