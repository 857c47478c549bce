package driver

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

const iperfSample = `{
 "start": {"tcp_mss_default": 1448},
 "intervals": [
  {"streams": [{"rtt": 21000}], "sum": {"end": 0.5, "bits_per_second": 80e6}},
  {"streams": [{"rtt": 25500}], "sum": {"end": 1.0, "bits_per_second": 95e6}}
 ],
 "end": {
  "sum_sent": {"bytes": 14480000, "retransmits": 100, "seconds": 1.0},
  "sum_received": {"bytes": 14000000, "seconds": 1.02},
  "sender_tcp_congestion": "cubic"
 }
}`

func TestParseIperf(t *testing.T) {
	s, err := parseIperf([]byte(iperfSample))
	if err != nil {
		t.Fatal(err)
	}
	if s.Bytes != 14000000 || s.Seconds != 1.02 || s.Congestion != "cubic" {
		t.Fatalf("summary %+v", s)
	}
	if s.RetransPct != 1 { // 100 of 10000 segments
		t.Fatalf("retrans %v%%, want 1%%", s.RetransPct)
	}
	if len(s.Series) != 2 || s.Series[1] != (Sample{T: 1, Mbit: 95, RTTms: 25.5}) {
		t.Fatalf("series %+v", s.Series)
	}
}

func TestParseIperfErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{``, "iperf3 JSON"},
		{`{"error": "unable to connect to server: Connection refused"}`, "unable to connect"},
		{`{"end": {}}`, "no usable end summary"},
		{`{"end": {"sum_received": {"bytes": -5, "seconds": 1}}}`, "no usable end summary"},
		{`[1,2]`, "iperf3 JSON"},
	}
	for _, tt := range tests {
		if _, err := parseIperf([]byte(tt.in)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parseIperf(%q) = %v, want %q", tt.in, err, tt.want)
		}
	}
}

func FuzzParseIperf(f *testing.F) {
	f.Add([]byte(iperfSample))
	f.Add([]byte(`{"error":"x"}`))
	f.Add([]byte(`{"end":{"sum_received":{"bytes":1,"seconds":1e-300},"sum_sent":{"bytes":1,"retransmits":1}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := parseIperf(b)
		if err != nil {
			return
		}
		if s.Bytes < 0 || !(s.Seconds > 0) {
			t.Fatalf("accepted %+v", s)
		}
	})
}

const snmpSample = `Ip: Forwarding DefaultTTL
Ip: 1 64
Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors
Tcp: 1 200 120000 -1 10 5 0 0 1 5000 4000 40 0 2 0
Udp: InDatagrams
Udp: 3
`

func TestParseSNMP(t *testing.T) {
	c, err := parseSNMP(snmpSample)
	if err != nil || c != (TCPCounters{OutSegs: 4000, RetransSegs: 40}) {
		t.Fatalf("parseSNMP = %+v, %v", c, err)
	}
	for _, bad := range []string{"", "Tcp: OutSegs\n", "Tcp: OutSegs RetransSegs\nTcp: 1 x\n", "Tcp: A B\nTcp: 1 2\n"} {
		if _, err := parseSNMP(bad); err == nil {
			t.Errorf("parseSNMP(%q) accepted", bad)
		}
	}
	if got := RetransPct(TCPCounters{100, 1}, TCPCounters{1100, 11}); got != 1 {
		t.Errorf("RetransPct = %v, want 1", got)
	}
	if got := RetransPct(TCPCounters{100, 1}, TCPCounters{100, 1}); got != -1 {
		t.Errorf("RetransPct with nothing sent = %v, want -1", got)
	}
}

func FuzzParseSNMP(f *testing.F) {
	f.Add(snmpSample)
	f.Add("Tcp: OutSegs RetransSegs\nTcp: 1 2\n")
	f.Fuzz(func(t *testing.T, s string) { _, _ = parseSNMP(s) })
}

func TestReadTCPCountersOfThisProcess(t *testing.T) {
	if _, err := ReadTCPCounters("self"); err != nil {
		t.Fatal(err)
	}
}

func TestUsageOfFinishedCommand(t *testing.T) {
	cmd := exec.CommandContext(context.Background(), "sh", "-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done")
	prepare(cmd, time.Second)
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	u := usageOf(cmd)
	if u.CPUSeconds <= 0 || u.PeakRSSKiB <= 0 {
		t.Fatalf("usage %+v", u)
	}
	if (usageOf(exec.Command("true"))) != (Usage{}) {
		t.Fatal("usage of a command that never ran is not zero")
	}
}

func TestPrepareCancelStopsTheGroup(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, "sleep", "30")
	prepare(cmd, time.Second)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	cancel()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("cancelled command still running")
	}
}

func TestWaitListening(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	ctx := context.Background()
	if err := WaitListening(ctx, os.Getpid(), port, time.Second); err != nil {
		t.Fatal(err)
	}
	ln2, _ := net.Listen("tcp4", "127.0.0.1:0")
	free := ln2.Addr().(*net.TCPAddr).Port
	ln2.Close()
	if err := WaitListening(ctx, os.Getpid(), free, 50*time.Millisecond); err == nil || !strings.Contains(err.Error(), "nothing listening") {
		t.Fatalf("free port: %v", err)
	}
}

func TestMissingAndNames(t *testing.T) {
	if m := Missing([]Requirement{{"sh", "dash"}, {"/nonexistent/x", "pkg-x"}, {"no-such-binary-h6", "pkg-x"}}); len(m) != 1 || m[0] != "pkg-x" {
		t.Fatalf("Missing = %v", m)
	}
	if (Iperf3{CC: "bbr"}).Name() != "iperf3-bbr" || (Jetstream{}).Name() != "jetstream" || (Jetstream{Policy: "low"}).Name() != "jetstream-low" || (&SCP{}).Name() != "scp" {
		t.Fatal("driver names")
	}
}

func TestJetstreamNotBuilt(t *testing.T) {
	d := Jetstream{JSCP: "/nonexistent/jscp", Server: "/nonexistent/jetstream"}
	if err := d.Check(context.Background()); !errors.Is(err, ErrNotAvailable) {
		t.Fatalf("Check = %v", err)
	}
	if _, err := d.Run(context.Background(), nil, Spec{}); !errors.Is(err, ErrNotAvailable) {
		t.Fatalf("Run = %v", err)
	}
}

func TestIperf3CheckUnknownCC(t *testing.T) {
	if !have("iperf3") {
		t.Skip("skip: iperf3 not installed")
	}
	if err := (Iperf3{CC: "no-such-cc"}).Check(context.Background()); !errors.Is(err, ErrNotAvailable) {
		t.Fatalf("Check = %v", err)
	}
}

func TestSourceFile(t *testing.T) {
	dir := t.TempDir()
	p, err := sourceFile(dir, 3<<20+5)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(p)
	if err != nil || st.Size() != 3<<20+5 {
		t.Fatalf("stat %v %v", st, err)
	}
	if p2, err := sourceFile(dir, 3<<20+5); err != nil || p2 != p {
		t.Fatalf("second call %q %v", p2, err)
	}
}

func TestCCAvailable(t *testing.T) {
	if _, err := os.Stat("/proc/sys/net/ipv4/tcp_available_congestion_control"); err != nil {
		t.Skip("skip: no congestion control list")
	}
	if ok, avail := ccAvailable("reno"); !ok { // reno is always built in
		t.Fatalf("reno not available in %q", avail)
	}
	if ok, _ := ccAvailable("cub"); ok {
		t.Fatal("prefix of a name accepted")
	}
}
