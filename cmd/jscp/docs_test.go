package main

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/jetstream-go/jetstream/daemon/api"
)

type fakeLister struct {
	dirs   map[string][]api.FileEntry
	listed *string
}

func (f fakeLister) Ls(_ context.Context, path string, _ bool) (api.LsResult, error) {
	*f.listed = path
	files, ok := f.dirs[path]
	if !ok {
		return api.LsResult{}, errors.New("not found")
	}
	return api.LsResult{Path: path, Files: files}, nil
}

func (fakeLister) Close() error { return nil }

func TestRemoteCompletions(t *testing.T) {
	dirs := map[string][]api.FileEntry{
		"/data/": {
			{Name: "docs", Type: api.FileTypeDirectory},
			{Name: "data.iso", Type: api.FileTypeRegular},
			{Name: ".hidden", Type: api.FileTypeRegular},
			{Name: "other", Type: api.FileTypeRegular},
		},
		".": {{Name: "home.txt", Type: api.FileTypeRegular}, {Name: "Roots", Type: api.FileTypeRoot}},
	}
	for _, tc := range []struct {
		word, listed string
		want         []string
		dialErr      bool
	}{
		{word: "host:/data/d", listed: "/data/", want: []string{"host:/data/data.iso", "host:/data/docs/"}},
		{word: "bob@host:9000:/data/", listed: "/data/", want: []string{"bob@host:9000:/data/data.iso", "bob@host:9000:/data/docs/", "bob@host:9000:/data/other"}},
		{word: "host:/data/.h", listed: "/data/", want: []string{"host:/data/.hidden"}},
		{word: "host:", listed: ".", want: []string{"host:Roots/", "host:home.txt"}},
		{word: "host:/nowhere/x", listed: "/nowhere/"},
		{word: "./local:file"},
		{word: "plainfile"},
		{word: "@host:/x"},
		{word: "host:/data/d", dialErr: true},
	} {
		var listed string
		dial := func(_ context.Context, r remoteSpec, _ string) (lister, error) {
			if tc.dialErr {
				return nil, errors.New("refused")
			}
			return fakeLister{dirs: dirs, listed: &listed}, nil
		}
		got := remoteCompletions(context.Background(), tc.word, dial)
		if !reflect.DeepEqual(got, tc.want) || listed != tc.listed {
			t.Errorf("%q: got %q listing %q, want %q listing %q", tc.word, got, listed, tc.want, tc.listed)
		}
	}
}

func TestDocFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--completion", "bash"}, exitOK, "complete -F _jscp jscp"},
		{[]string{"--completion=zsh"}, exitOK, "#compdef jscp"},
		{[]string{"--completion", "fish"}, exitOK, "complete -c jscp"},
		{[]string{"--man-page"}, exitOK, `.SH "EXIT STATUS"`},
		{[]string{"--completion", "tcsh"}, exitUsage, ""},
	} {
		var out, errb bytes.Buffer
		code := run(tc.args, &out, &errb)
		if code != tc.code || !strings.Contains(out.String(), tc.want) {
			t.Errorf("jscp %v: exit %d, stdout %.80q, stderr %q; want exit %d and %q", tc.args, code, out.String(), errb.String(), tc.code, tc.want)
		}
	}
}

func TestCompleteRemoteIsSilentWithoutPassword(t *testing.T) {
	t.Setenv("JETSTREAM_API_PASSWORD", "")
	t.Setenv("JETSTREAM_KNOWN_HOSTS", t.TempDir()+"/known_hosts")
	var out, errb bytes.Buffer
	// Port 1 on loopback refuses at once: no output, exit 0.
	if code := run([]string{"--complete-remote", "127.0.0.1:1:/tmp/"}, &out, &errb); code != exitOK || out.Len()+errb.Len() != 0 {
		t.Errorf("exit %d, stdout %q, stderr %q; want 0 and silence", code, out.String(), errb.String())
	}
}

func FuzzRemoteCompletions(f *testing.F) {
	for _, s := range []string{"host:/data/d", "u@h:22:/x/", "h:", ":", "@:", "h:/a/b/c/", "./x:y", "h:9999999:/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, word string) {
		dial := func(_ context.Context, r remoteSpec, _ string) (lister, error) {
			return anyLister{}, nil
		}
		for _, c := range remoteCompletions(context.Background(), word, dial) {
			if !strings.HasPrefix(c, word[:strings.IndexByte(word, ':')+1]) {
				t.Fatalf("completion %q does not extend %q", c, word)
			}
		}
	})
}

// anyLister lists the same entries for every directory.
type anyLister struct{}

func (anyLister) Ls(_ context.Context, path string, _ bool) (api.LsResult, error) {
	return api.LsResult{Path: path, Files: []api.FileEntry{{Name: "a", Type: api.FileTypeDirectory},
		{Name: ".b", Type: api.FileTypeRegular}, {Name: "sub/c:d", Type: api.FileTypeRegular}}}, nil
}

func (anyLister) Close() error { return nil }
