package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a\n", []string{"a"}},
		{"a\r\n\r\n b \n\nc", []string{"a", " b ", "c"}},
		{"host:/x y\n./a:b\n", []string{"host:/x y", "./a:b"}},
	}
	for _, tt := range tests {
		got, err := parseList(strings.NewReader(tt.in))
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseList(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if _, err := parseList(strings.NewReader(strings.Repeat("x", maxListLine+1))); err == nil || !strings.Contains(err.Error(), "longer than") {
		t.Errorf("overlong line: %v", err)
	}
}

func TestSources(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	list := write("list", "a\nb c\n")
	pairs := write("pairs", "a\nx/y\n/abs\n/z\n")
	tests := []struct {
		name        string
		c           cli
		srcs        []string
		dst         string
		targets     []string
		wantErrCode int
	}{
		{name: "args", c: cli{Args: []string{"s1", "s2", "h:/d"}}, srcs: []string{"s1", "s2"}, dst: "h:/d"},
		{name: "no args", c: cli{}, wantErrCode: exitUsage},
		{name: "dest only", c: cli{Args: []string{"h:/d"}}, wantErrCode: exitUsage},
		{name: "file list", c: cli{Args: []string{"s0", "h:/d"}, FileList: list}, srcs: []string{"s0", "a", "b c"}, dst: "h:/d"},
		{name: "pair list", c: cli{Args: []string{"h:/d"}, PairList: pairs}, srcs: []string{"a", "/abs"}, dst: "h:/d", targets: []string{"/x/y", "/z"}},
		{name: "both lists", c: cli{Args: []string{"h:/d"}, PairList: pairs, FileList: list}, wantErrCode: exitUsage},
		{name: "pairs and sources", c: cli{Args: []string{"s", "h:/d"}, PairList: pairs}, wantErrCode: exitUsage},
		{name: "odd pairs", c: cli{Args: []string{"h:/d"}, PairList: list + "x"}, wantErrCode: exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srcs, dst, err := tt.c.sources()
			if tt.wantErrCode != 0 {
				if code, _ := exitCodeOf(err); err == nil || code != tt.wantErrCode {
					t.Fatalf("err %v, want exit %d", err, tt.wantErrCode)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(srcs, tt.srcs) || dst != tt.dst || !reflect.DeepEqual(tt.c.pairTargets, tt.targets) {
				t.Fatalf("got %q %q %q %v; want %q %q %q", srcs, dst, tt.c.pairTargets, err, tt.srcs, tt.dst, tt.targets)
			}
		})
	}
}

func FuzzParseList(f *testing.F) {
	for _, s := range []string{"", "a\nb\n", "a\r\n\r\n", "\x00\n\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		lines, err := parseList(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, l := range lines {
			// One CR before each line end is the CRLF's; any other CR is part of the name.
			if l == "" || strings.ContainsAny(l, "\n") || strings.HasSuffix(l, "\r") && !strings.Contains(in, l+"\r") {
				t.Fatalf("bad line %q from %q", l, in)
			}
		}
	})
}

func TestRates(t *testing.T) {
	tests := []struct {
		rate, min  string
		maxK, minK float64
		bad        bool
	}{
		{"", "", 0, 0, false},
		{"500M", "", 500000, 0, false},
		{"1G", "10M", 1e6, 1e4, false},
		{"800", "", 800, 0, false}, // plain numbers are kbit/s
		{"fast", "", 0, 0, true},
		{"10M", "20M", 0, 0, true},
		{"-5M", "", 0, 0, true},
	}
	for _, tt := range tests {
		c := cli{Rate: tt.rate, MinRate: tt.min}
		maxK, minK, err := c.rates()
		if tt.bad {
			if code, _ := exitCodeOf(err); code != exitUsage {
				t.Errorf("-l %q -m %q: err %v, want a usage error", tt.rate, tt.min, err)
			}
			continue
		}
		if err != nil || maxK != tt.maxK || minK != tt.minK {
			t.Errorf("-l %q -m %q = %v, %v, %v; want %v, %v", tt.rate, tt.min, maxK, minK, err, tt.maxK, tt.minK)
		}
	}
}
