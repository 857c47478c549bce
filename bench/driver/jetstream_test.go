package driver

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

const jscpOK = `{"direction":"upload","event":"start","files":1,"host":"10.0.0.2","time":"2026-11-24T02:45:05.000Z","totalBytes":3000000}
{"bytes":0,"event":"progress","rttMs":0,"time":"2026-11-24T02:45:05.500Z","totalBytes":3000000}
{"bytes":1250000,"event":"progress","rttMs":21,"time":"2026-11-24T02:45:06.000Z","totalBytes":3000000}
{"event":"file_done","ok":true,"path":"/src","time":"2026-11-24T02:45:06.400Z"}
{"bytes":3000000,"event":"progress","rttMs":22,"time":"2026-11-24T02:45:06.500Z","totalBytes":3000000}
{"bytes":3000000,"event":"complete","files":1,"filesFailed":0,"retransmittedPercent":0.5,"seconds":1.9,"time":"2026-11-24T02:45:06.520Z"}
`

func TestParseJSCP(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    jscpSummary
		series  int
		wantErr string
	}{
		{name: "complete", in: jscpOK, series: 3,
			want: jscpSummary{TotalBytes: 3000000, Bytes: 3000000, Seconds: 1.52, Wall: 1.9, RetransPct: 0.5, Complete: true, FilesOK: 1}},
		{name: "cut short", in: strings.Join(strings.Split(jscpOK, "\n")[:3], "\n") + "\n" +
			`{"code":"interrupted","event":"error","exitCode":130,"message":"interrupted","time":"2026-11-24T02:45:06.1Z"}`, series: 2,
			want: jscpSummary{TotalBytes: 3000000, Bytes: 1250000, Seconds: 1, RetransPct: -1, Err: "interrupted: interrupted"}},
		{name: "file failed", in: `{"event":"start","time":"2026-11-24T02:45:05Z","totalBytes":5}
{"code":"io","error":"io: permission denied","event":"file_done","ok":false,"path":"/x","time":"2026-11-24T02:45:05Z"}
{"bytes":0,"event":"complete","files":0,"filesFailed":1,"retransmittedPercent":0,"seconds":0.1,"time":"2026-11-24T02:45:05Z"}`,
			want: jscpSummary{TotalBytes: 5, Seconds: 0.1, Wall: 0.1, Complete: true, Failed: 1, Err: "/x: io: permission denied"}},
		{name: "unknown events and blank lines ignored", in: "\n" + `{"event":"future","time":"2026-11-24T02:45:05Z"}` + "\n",
			want: jscpSummary{RetransPct: -1}},
		{name: "empty", in: "", wantErr: "no JSON events"},
		{name: "not json", in: "jscp: cannot connect\n", wantErr: "line 1"},
		{name: "bad time", in: `{"event":"start","time":"yesterday"}`, wantErr: "bad time"},
		{name: "long line", in: strings.Repeat("x", maxJSCPLine+1), wantErr: "too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseJSCP([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Series) != tt.series {
				t.Errorf("series %+v, want %d points", got.Series, tt.series)
			}
			got.Series, got.Start = nil, time.Time{}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseJSCPSeries(t *testing.T) {
	s, err := parseJSCP([]byte(jscpOK))
	if err != nil {
		t.Fatal(err)
	}
	want := []Sample{{T: 0.5, Mbit: 0}, {T: 1, Mbit: 20, RTTms: 21}, {T: 1.5, Mbit: 28, RTTms: 22}}
	if !slices.Equal(s.Series, want) {
		t.Fatalf("series = %+v, want %+v", s.Series, want)
	}
}

func FuzzParseJSCP(f *testing.F) {
	f.Add([]byte(jscpOK))
	f.Add([]byte(`{"event":"progress","bytes":-5,"time":"2026-11-24T02:45:05Z"}`))
	f.Add([]byte(`{"event":"complete"}` + "\n[1,2]\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := parseJSCP(b)
		if err != nil {
			return
		}
		for _, p := range s.Series {
			if p.Mbit < 0 {
				t.Fatalf("negative rate %+v", p)
			}
		}
	})
}

func TestJetstreamArgs(t *testing.T) {
	s := Spec{Duration: 20 * time.Second, RateBps: 500e6, Flow: 1}
	tests := []struct {
		name     string
		d        Jetstream
		size     int64
		rate     string
		wantArgs []string
	}{
		{"default", Jetstream{}, DefaultJetstreamBytes, "500000K",
			[]string{"--policy", "fair", "-P", "8887", "-l", "500000K", "/src", "jsbench@10.0.0.2:/"}},
		{"low, capped size", Jetstream{Policy: "low", MaxBytes: 10 << 20}, 10 << 20, "500000K",
			[]string{"--policy", "low", "-l", "500000K"}},
		{"no target rate", Jetstream{RateFactor: -1, ExtraArgs: []string{"--cipher", "none"}}, DefaultJetstreamBytes, "",
			[]string{"--policy", "fair", "--cipher", "none"}},
		{"above link", Jetstream{RateFactor: 1.5}, DefaultJetstreamBytes, "750000K", []string{"-l", "750000K"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.fileSize(s); got != tt.size {
				t.Errorf("fileSize = %d, want %d", got, tt.size)
			}
			if got := tt.d.rateArg(s); got != tt.rate {
				t.Errorf("rateArg = %q, want %q", got, tt.rate)
			}
			args := strings.Join(tt.d.jscpArgs("/src", jsBasePort+s.Flow, "10.0.0.2", s), " ")
			if !strings.Contains(args, strings.Join(tt.wantArgs, " ")) && !containsAll(args, tt.wantArgs) {
				t.Errorf("args %q lack %q", args, tt.wantArgs)
			}
			if tt.rate == "" && strings.Contains(args, " -l ") {
				t.Errorf("args %q pass -l", args)
			}
		})
	}
	if got := (Jetstream{}).fileSize(Spec{Duration: 20 * time.Second, RateBps: 100e6, Flows: 2}); got != 125e6 {
		t.Errorf("one of two flows: fileSize = %d, want half the link × duration", got)
	}
	if got := (Jetstream{}).fileSize(Spec{Duration: time.Second, RateBps: 1e6}); got != 1<<20 {
		t.Errorf("tiny link: fileSize = %d, want the 1 MiB floor", got)
	}
}

func containsAll(s string, parts []string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

func TestJetstreamBadPolicy(t *testing.T) {
	d := Jetstream{Policy: "greedy", JSCP: "/bin/sh", Server: "/bin/sh"}
	if err := d.Check(t.Context()); err == nil || !strings.Contains(err.Error(), "unknown policy") {
		t.Fatalf("Check = %v", err)
	}
}
