package engine

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestOverwriteModes(t *testing.T) {
	type existing int
	const (
		absent existing = iota
		sameSize
		otherSize
		emptyFile
	)
	newData := []byte("new content!")
	oldData := map[existing][]byte{sameSize: []byte("old content!"), otherSize: []byte("old"), emptyFile: {}}
	type want struct {
		openErr, commitErr Code
		replaced, backup   bool
		partKept           bool
	}
	ok := want{replaced: true}
	tests := []struct {
		mode int
		ex   existing
		w    want
	}{
		{OverwriteNever, absent, ok},
		{OverwriteNever, sameSize, want{openErr: CodeExists}},
		{OverwriteNever, emptyFile, want{openErr: CodeExists}},
		{OverwriteAlways, absent, ok},
		{OverwriteAlways, otherSize, ok},
		{OverwriteSameSize, absent, ok},
		{OverwriteSameSize, sameSize, ok},
		{OverwriteSameSize, emptyFile, ok},
		{OverwriteSameSize, otherSize, want{openErr: CodeExists}},
		{OverwritePartfileNever, absent, ok},
		{OverwritePartfileNever, otherSize, want{commitErr: CodeExists, partKept: true}},
		{OverwritePartfileAlways, absent, ok},
		{OverwritePartfileAlways, otherSize, ok},
		{OverwritePartfileBackup, absent, ok},
		{OverwritePartfileBackup, otherSize, want{replaced: true, backup: true}},
	}
	for _, tc := range tests {
		dir := t.TempDir()
		target := filepath.Join(dir, "sub", "f.txt")
		if tc.ex != absent {
			os.MkdirAll(filepath.Dir(target), 0o755)
			os.WriteFile(target, oldData[tc.ex], 0o600)
		}
		sink := newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dir), Overwrite: tc.mode})
		mt := time.Date(2021, 5, 6, 7, 8, 9, 10, time.UTC)
		meta := FileMeta{Path: "sub/f.txt", Size: int64(len(newData)), Mode: 0o604, Mtime: mt}
		name := func() string { return "mode " + string(rune('0'+tc.mode)) + " case " + string(rune('0'+int(tc.ex))) }
		f, err := sink.Open("key", meta, false)
		if CodeOf(err) != tc.w.openErr {
			t.Fatalf("%s: open error %v, want %q", name(), err, tc.w.openErr)
		}
		if err != nil {
			if b, _ := os.ReadFile(target); string(b) != string(oldData[tc.ex]) {
				t.Fatalf("%s: target changed after refusal", name())
			}
			continue
		}
		if _, err := f.WriteAt(newData, 0); err != nil {
			t.Fatal(err)
		}
		host, err := f.Commit()
		if CodeOf(err) != tc.w.commitErr {
			t.Fatalf("%s: commit error %v, want %q", name(), err, tc.w.commitErr)
		}
		got, _ := os.ReadFile(target)
		if tc.w.replaced {
			if host != target || string(got) != string(newData) {
				t.Fatalf("%s: target %q (host %q)", name(), got, host)
			}
			fi, _ := os.Stat(target)
			if fi.Mode().Perm() != 0o604 || !fi.ModTime().Equal(mt) {
				t.Fatalf("%s: mode %v mtime %v", name(), fi.Mode(), fi.ModTime())
			}
		} else if string(got) != string(oldData[tc.ex]) {
			t.Fatalf("%s: target overwritten", name())
		}
		bak, err := os.ReadFile(target + backupSuffix)
		if tc.w.backup != (err == nil) || (tc.w.backup && string(bak) != string(oldData[tc.ex])) {
			t.Fatalf("%s: backup %q, %v", name(), bak, err)
		}
		_, err = os.Stat(partName(target, "key"))
		if tc.w.partKept != (err == nil) {
			t.Fatalf("%s: partfile kept = %v", name(), err == nil)
		}
	}
}

func TestDiskSinkRefusals(t *testing.T) {
	dir := t.TempDir()
	if _, err := NewDiskSink(DiskSinkConfig{}); err == nil {
		t.Error("missing Land accepted")
	}
	if _, err := NewDiskSink(DiskSinkConfig{Land: sandboxLand(dir), Overwrite: 6}); err == nil {
		t.Error("overwrite 6 accepted")
	}
	sink := newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dir)})
	if _, err := sink.Open("k", FileMeta{Path: "../x", Size: 1}, false); CodeOf(err) != CodePathRefused {
		t.Errorf("escape: %v", err)
	}
	os.MkdirAll(filepath.Join(dir, "d"), 0o755)
	if _, err := sink.Open("k", FileMeta{Path: "d", Size: 1}, false); CodeOf(err) != CodeExists {
		t.Errorf("directory target: %v", err)
	}
	nw := newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dir), NoWrite: true})
	f, err := nw.Open("k", FileMeta{Path: "nowrite", Size: 3}, false)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt([]byte("abc"), 0)
	f.Commit()
	if _, err := os.Stat(filepath.Join(dir, "nowrite")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("no-write sink created a file: %v", err)
	}
}

func TestCheckpointStore(t *testing.T) {
	state := t.TempDir()
	sink := newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(t.TempDir()), StateDir: state})
	if cp, err := sink.Load("k"); cp != nil || err != nil {
		t.Fatalf("empty load: %v %v", cp, err)
	}
	cp := &Checkpoint{TransferKey: "k", BlockSize: 100, ChunkBlocks: 3}
	if err := sink.Save(cp); err != nil {
		t.Fatal(err)
	}
	got, err := sink.Load("k")
	if err != nil || got.BlockSize != 100 {
		t.Fatalf("load: %+v %v", got, err)
	}
	ents, _ := os.ReadDir(state)
	os.WriteFile(filepath.Join(state, ents[0].Name()), []byte("garbage"), 0o600)
	if _, err := sink.Load("k"); err == nil {
		t.Fatal("garbage checkpoint loaded")
	}
	if err := sink.Discard("k"); err != nil {
		t.Fatal(err)
	}
	if err := sink.Discard("k"); err != nil {
		t.Fatal("discard twice:", err)
	}
}
