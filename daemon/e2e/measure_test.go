package e2e

import (
	"crypto/rand"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/daemontest"
)

// TestMeasure is not a test: it measures daemon-to-daemon loopback transfers
// (tmpfs to tmpfs, AES-128-GCM) and scp over loopback in the same run, and
// logs the numbers. Run it by hand as root:
//
//	JETSTREAM_E2E_MEASURE=1 go test ./daemon/e2e -run TestMeasure -v -timeout 20m
//
// JETSTREAM_E2E_MEASURE_MIB sets the big file's size (default 2048);
// JETSTREAM_E2E_MEASURE_KBPS=n sends with policy fixed at n kbit/s instead of
// the default fair policy without a cap; JETSTREAM_E2E_MEASURE_NOSCP=1 skips scp.
func TestMeasure(t *testing.T) {
	if os.Getenv("JETSTREAM_E2E_MEASURE") == "" {
		t.Skip("measurement, not a test: set JETSTREAM_E2E_MEASURE=1")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a tmpfs")
	}
	mib := 2048
	if n, err := strconv.Atoi(os.Getenv("JETSTREAM_E2E_MEASURE_MIB")); err == nil && n > 0 {
		mib = n
	}
	root := daemontest.OpenDir(t)
	mnt := filepath.Join(root, "fs")
	os.Mkdir(mnt, 0o755)
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%dm,mode=0755", 3*mib+1024), "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Fatalf("mount tmpfs: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", mnt).Run() })
	id := daemontest.BuiltinIdentity(t)
	sandbox := filepath.Join(mnt, "sandbox")
	os.Mkdir(sandbox, 0o755)
	p := newPair(t, sandbox)
	p.src = daemontest.OwnedDir(t, filepath.Join(mnt, "src"), id)
	rate := 0.0 // fair policy, no cap
	if n, err := strconv.Atoi(os.Getenv("JETSTREAM_E2E_MEASURE_KBPS")); err == nil && n > 0 {
		rate = float64(n) // fixed policy at this rate
	}
	p.destination("", rate)

	// One big file.
	big := filepath.Join(p.src, "big", "big.bin")
	writeBig(t, big, int64(mib)<<20)
	small := filepath.Join(p.src, "small")
	writeSmall(t, small, 10_000, 4096)
	daemontest.ChownTree(t, p.src, id)

	js := func(name, dir string) {
		var m api.Manifest
		if err := p.ca.Call(bg, "send.createManifest", map[string]any{"fileMappings": []string{dir + ":/" + name}}, &m); err != nil {
			t.Fatal(err)
		}
		t0 := time.Now()
		if err := p.ca.Call(bg, "send.waitForManifest", map[string]any{"manifestId": m.ManifestID, "timeoutSeconds": 300}, &m); err != nil || m.Status != api.ManifestComplete {
			t.Fatalf("manifest: %v %s", err, deref(m.ErrorMessage))
		}
		manifest := time.Since(t0)
		cpuA0, cpuB0 := cpuTime(t, p.a.cmd.Process.Pid), cpuTime(t, p.b.cmd.Process.Pid)
		var tr api.Transfer
		t1 := time.Now()
		if err := p.ca.Call(bg, "send.createTransfer", map[string]any{"destinationId": p.destID, "manifestId": m.ManifestID,
			"destinationPath": "/in", "minCipher": api.CipherAES128}, &tr); err != nil {
			t.Fatal(err)
		}
		tr = p.wait(tr.TransferID, 15*time.Minute)
		wall := time.Since(t1)
		if tr.Status != api.TransferComplete {
			t.Fatalf("%s: %s %s", name, tr.Status, deref(tr.ErrorMessage))
		}
		cpuA, cpuB := cpuTime(t, p.a.cmd.Process.Pid)-cpuA0, cpuTime(t, p.b.cmd.Process.Pid)-cpuB0
		d := wall
		if tr.StartTime != nil && tr.EndTime != nil {
			d = time.Duration(*tr.EndTime-*tr.StartTime) * time.Microsecond
		}
		t.Logf("jetstream %s: %d files, %d bytes in %v (manifest %v, wall %v): %.2f Gbit/s, %.0f files/s; CPU sender %v (%.0f%%), receiver %v (%.0f%%); sent %d bytes, retransmitted %d blocks",
			name, tr.TotalFiles, tr.TotalBytes, d.Round(time.Millisecond), manifest.Round(time.Millisecond), wall.Round(time.Millisecond),
			float64(tr.TotalBytes)*8/d.Seconds()/1e9, float64(tr.TotalFiles)/d.Seconds(),
			cpuA.Round(time.Millisecond), 100*cpuA.Seconds()/d.Seconds(), cpuB.Round(time.Millisecond), 100*cpuB.Seconds()/d.Seconds(),
			tr.BytesSent, tr.BlocksRetransmitted)
	}
	js("big", filepath.Dir(big))
	js("small", small)
	os.RemoveAll(filepath.Join(p.landed))

	if os.Getenv("JETSTREAM_E2E_MEASURE_NOSCP") != "" {
		return
	}
	ssh := startSSHD(t)
	for _, cipher := range []string{"aes128-gcm@openssh.com", "chacha20-poly1305@openssh.com"} {
		dst := filepath.Join(mnt, "scp-"+strings.Split(cipher, "@")[0])
		os.Mkdir(dst, 0o755)
		for _, run := range []struct{ name, src string }{{"big", big}, {"small", small}} {
			t0 := time.Now()
			ssh.scp(t, cipher, run.src, filepath.Join(dst, run.name))
			d := time.Since(t0)
			bytes, files := treeSize(run.src)
			t.Logf("scp %s %s: %d files, %d bytes in %v: %.2f Gbit/s, %.0f files/s", cipher, run.name, files, bytes,
				d.Round(time.Millisecond), float64(bytes)*8/d.Seconds()/1e9, float64(files)/d.Seconds())
		}
		os.RemoveAll(dst)
	}
}

func writeBig(t *testing.T, path string, size int64) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64<<20)
	for off := int64(0); off < size; off += int64(len(buf)) {
		rand.Read(buf) // fresh random data: nothing compresses or dedups
		if _, err := f.Write(buf[:min(int64(len(buf)), size-off)]); err != nil {
			t.Fatal(err)
		}
	}
}

func writeSmall(t *testing.T, dir string, n, size int) {
	t.Helper()
	buf := make([]byte, size)
	for i := range n {
		sub := filepath.Join(dir, fmt.Sprintf("d%03d", i/100))
		if i%100 == 0 {
			os.MkdirAll(sub, 0o755)
		}
		rand.Read(buf)
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("f%05d", i)), buf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func treeSize(path string) (bytes int64, files int) {
	filepath.Walk(path, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			bytes += fi.Size()
			files++
		}
		return nil
	})
	return
}

// cpuTime is a process's user+system CPU time from /proc.
func cpuTime(t *testing.T, pid int) time.Duration {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / 100 // USER_HZ
}

type sshd struct {
	port int
	key  string
}

// startSSHD runs a private sshd on a free loopback port (killed by PID when
// the test ends) that accepts a fresh key for root.
func startSSHD(t *testing.T) *sshd {
	t.Helper()
	bin, err := exec.LookPath("sshd")
	if err != nil {
		bin = "/usr/sbin/sshd"
	}
	dir := t.TempDir()
	for _, k := range []string{"host", "client"} {
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", filepath.Join(dir, k)).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v: %s", err, out)
		}
	}
	pub, _ := os.ReadFile(filepath.Join(dir, "client.pub"))
	os.WriteFile(filepath.Join(dir, "authorized_keys"), pub, 0o600)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cfg := fmt.Sprintf("ListenAddress 127.0.0.1\nPort %d\nHostKey %s\nPidFile %s\nAuthorizedKeysFile %s\nPermitRootLogin yes\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\nSubsystem sftp internal-sftp\n",
		port, filepath.Join(dir, "host"), filepath.Join(dir, "sshd.pid"), filepath.Join(dir, "authorized_keys"))
	os.WriteFile(filepath.Join(dir, "sshd_config"), []byte(cfg), 0o600)
	os.MkdirAll("/run/sshd", 0o755) // privilege separation directory
	cmd := exec.Command(bin, "-D", "-e", "-f", filepath.Join(dir, "sshd_config"))
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("sshd: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() })
	for range 100 {
		if c, err := net.Dial("tcp", l.Addr().String()); err == nil {
			c.Close()
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	return &sshd{port: port, key: filepath.Join(dir, "client")}
}

func (s *sshd) scp(t *testing.T, cipher, src, dst string) {
	t.Helper()
	out, err := exec.Command("scp", "-q", "-r", "-c", cipher, "-i", s.key, "-P", strconv.Itoa(s.port),
		"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
		src, "root@127.0.0.1:"+dst).CombinedOutput()
	if err != nil {
		t.Fatalf("scp: %v: %s", err, out)
	}
}
