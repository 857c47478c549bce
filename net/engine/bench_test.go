package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/net/pacer"
)

// benchDir prefers tmpfs (/dev/shm) so the benchmark measures the engine, not the disk.
// benchDir is a fresh directory under JETSTREAM_BENCH_DIR, else on tmpfs when
// there is one (no disk in the measurement), else a test temp directory.
func benchDir(b *testing.B) string {
	if root := os.Getenv("JETSTREAM_BENCH_DIR"); root != "" {
		d, err := os.MkdirTemp(root, "jetstream-bench-")
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { os.RemoveAll(d) })
		return d
	}
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		d, err := os.MkdirTemp("/dev/shm", "jetstream-bench-")
		if err == nil {
			b.Cleanup(func() { os.RemoveAll(d) })
			return d
		}
	}
	return b.TempDir()
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// writeSparseish writes size bytes of non-zero data quickly.
func writeBig(b *testing.B, p string, size int) {
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 4<<20)
	for i := range buf {
		buf[i] = byte(i*7 + i>>11)
	}
	for left := size; left > 0; left -= len(buf) {
		if _, err := f.Write(buf[:min(left, len(buf))]); err != nil {
			b.Fatal(err)
		}
	}
}

func runBench(b *testing.B, files []SourceFile, dst string, cfg Config, c Cipher, opts SendOptions) Stats {
	p := loopbackPair(b, cfg)
	sink := newDiskSinkT(b, DiskSinkConfig{Land: sandboxLand(dst), Overwrite: OverwriteAlways})
	tr := &transfer{ticket: newTicket(b, c, p.recv.NewConv(), fmt.Sprint("bench-", time.Now().UnixNano())), files: files, sink: sink, sendOpts: opts}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	snd, rcv := tr.start(b, ctx, p)
	waitDone(b, 10*time.Minute, snd, rcv)
	if snd.Err() != nil || rcv.Err() != nil {
		b.Fatalf("errors: %v %v", snd.Err(), rcv.Err())
	}
	if es := p.recv.Stats(); es.DroppedQueueFull > 0 {
		b.Logf("receiver queue drops: %d", es.DroppedQueueFull)
	}
	return snd.Stats()
}

// BenchmarkLoopback moves one file (JETSTREAM_BENCH_BYTES, default 256 MiB) over
// real UDP on 127.0.0.1 with AES-128-GCM, tmpfs to tmpfs, and reports MB/s.
func BenchmarkLoopback(b *testing.B) {
	size := envInt("JETSTREAM_BENCH_BYTES", 256<<20)
	dir := benchDir(b)
	src := filepath.Join(dir, "src.bin")
	writeBig(b, src, size)
	files := []SourceFile{{LocalPath: src, TargetPath: "dst.bin", Size: int64(size), Mode: 0o644}}
	for _, tc := range []struct {
		name string
		pkt  int
		c    Cipher
	}{
		{"aes128-64k", 65000, CipherAES128},
		{"aes128-1472", 1472, CipherAES128},
		{"none-64k", 65000, CipherNone},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(size))
			for i := 0; i < b.N; i++ {
				dst := filepath.Join(dir, fmt.Sprint("dst-", tc.name, i))
				start := time.Now()
				st := runBench(b, files, dst, Config{MaxPacket: tc.pkt, SocketBuffer: 16 << 20}, tc.c, benchOpts())
				el := time.Since(start)
				b.ReportMetric(float64(size)/el.Seconds()/1e6, "MB/s")
				b.ReportMetric(float64(st.BlocksRetransmitted)/float64(st.TotalBlocks)*100, "%retx")
				os.RemoveAll(dst)
			}
		})
	}
}

// BenchmarkSmallFiles moves JETSTREAM_BENCH_FILES (default 10000) files of 4 KiB
// in datagrams of JETSTREAM_BENCH_PACKET bytes (default 65000; 1472 is an
// Ethernet path) and reports files/s.
func BenchmarkSmallFiles(b *testing.B) {
	n := envInt("JETSTREAM_BENCH_FILES", 10000)
	dir := benchDir(b)
	buf := make([]byte, 4096)
	files := make([]SourceFile, n)
	for i := range files {
		p := filepath.Join(dir, "src", fmt.Sprintf("d%03d", i%100), fmt.Sprintf("f%05d", i))
		os.MkdirAll(filepath.Dir(p), 0o755)
		buf[0], buf[1] = byte(i), byte(i>>8)
		if err := os.WriteFile(p, buf, 0o644); err != nil {
			b.Fatal(err)
		}
		files[i] = SourceFile{LocalPath: p, TargetPath: filepath.ToSlash(p[len(dir)+5:]), Size: 4096, Mode: 0o644}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dst := filepath.Join(dir, fmt.Sprint("dst", i))
		start := time.Now()
		st := runBench(b, files, dst, Config{MaxPacket: envInt("JETSTREAM_BENCH_PACKET", 65000), SocketBuffer: 16 << 20}, CipherAES128, SendOptions{Policy: pacer.Fair})
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "files/s")
		b.ReportMetric(100*float64(st.BlocksRetransmitted)/float64(max(st.BlocksSent, 1)), "retx%")
		os.RemoveAll(dst)
	}
}

// benchOpts: JETSTREAM_BENCH_RATE (bytes/s) selects the fixed policy, else fair.
func benchOpts() SendOptions {
	if r := envInt("JETSTREAM_BENCH_RATE", 0); r > 0 {
		return SendOptions{Policy: pacer.Fixed, MaxRate: float64(r)}
	}
	return SendOptions{Policy: pacer.Fair, ReadAhead: 512}
}
