package driver

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// scpMaxFile caps the file scp copies; a slower transfer is stopped at the
// run's deadline and measured by what arrived.
const scpMaxFile = 512 << 20

// SCP copies a file with scp from A to an sshd in B. sshd runs in inetd
// mode (-i) on a connection this process accepted on a private port in B,
// with a generated host key and key-only authentication, so exactly one
// connection is served and its process tree is reaped and accounted.
type SCP struct {
	once       sync.Once
	prepErr    error
	dir        string
	madeRunDir bool // /run/sshd was created here and is removed by Close
}

// Close removes what the driver created outside its work directory.
func (d *SCP) Close() error {
	if d.madeRunDir {
		d.madeRunDir = false
		return os.Remove(privsepDir)
	}
	return nil
}

// Name is "scp".
func (*SCP) Name() string { return "scp" }

// Check needs scp, ssh-keygen and /usr/sbin/sshd.
func (*SCP) Check(context.Context) error {
	if m := Missing(ReqSCP); len(m) > 0 {
		return NotAvailable("missing %s", strings.Join(m, ", "))
	}
	return nil
}

func (d *SCP) prepare(ctx context.Context, env *Env) error {
	d.once.Do(func() {
		d.dir = filepath.Join(env.WorkDir, "ssh")
		if d.prepErr = os.MkdirAll(d.dir, 0o700); d.prepErr != nil {
			return
		}
		for _, k := range []string{"host_key", "client_key"} {
			cmd := exec.CommandContext(ctx, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", filepath.Join(d.dir, k))
			if out, err := cmd.CombinedOutput(); err != nil {
				d.prepErr = fmt.Errorf("ssh-keygen: %w: %s", err, out)
				return
			}
		}
		pub, err := os.ReadFile(filepath.Join(d.dir, "client_key.pub"))
		if err != nil {
			d.prepErr = err
			return
		}
		if d.prepErr = os.WriteFile(filepath.Join(d.dir, "authorized_keys"), pub, 0o600); d.prepErr != nil {
			return
		}
		cfg := strings.Join([]string{
			"HostKey " + filepath.Join(d.dir, "host_key"),
			"AuthorizedKeysFile " + filepath.Join(d.dir, "authorized_keys"),
			"PubkeyAuthentication yes",
			"PasswordAuthentication no",
			"KbdInteractiveAuthentication no",
			"UsePAM no",
			"StrictModes no",
			"PermitRootLogin prohibit-password",
			"PidFile none",
			"LogLevel ERROR",
			"Subsystem sftp internal-sftp",
			"",
		}, "\n")
		d.prepErr = os.WriteFile(filepath.Join(d.dir, "sshd_config"), []byte(cfg), 0o600)
		if d.prepErr == nil {
			d.madeRunDir, d.prepErr = ensurePrivsepDir()
		}
	})
	return d.prepErr
}

// privsepDir is the directory sshd insists on.
const privsepDir = "/run/sshd"

// ensurePrivsepDir creates privsepDir when the package's tmpfiles setup
// has not (no systemd), reporting whether it did.
func ensurePrivsepDir() (bool, error) {
	if _, err := os.Stat(privsepDir); err == nil {
		return false, nil
	}
	return true, os.Mkdir(privsepDir, 0o755)
}

// sourceFile returns a file of random bytes of the given size in dir,
// creating it once.
func sourceFile(dir string, size int64) (string, error) {
	path := filepath.Join(dir, fmt.Sprintf("src-%d", size))
	if st, err := os.Stat(path); err == nil && st.Size() == size {
		return path, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	rng := rand.NewChaCha8([32]byte{1, 2, 3})
	buf := make([]byte, 1<<20)
	for left := size; left > 0; left -= int64(len(buf)) {
		rng.Read(buf)
		n := min(left, int64(len(buf)))
		if _, err := f.Write(buf[:n]); err != nil {
			f.Close()
			return "", err
		}
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return path, settle(path)
}

// Run copies a file sized for the link and duration; it stops scp at the
// deadline (duration + 10 s for the handshake) and counts what arrived.
func (d *SCP) Run(ctx context.Context, env *Env, s Spec) (Result, error) {
	res := Result{Tool: d.Name(), RetransPct: -1}
	if err := d.prepare(ctx, env); err != nil {
		return res, err
	}
	size := min(int64(float64(s.RateBps)/8*s.Duration.Seconds()), scpMaxFile)
	size = max(size, 1<<20)
	src, err := sourceFile(env.WorkDir, size)
	if err != nil {
		return res, fmt.Errorf("scp source file: %w", err)
	}
	dst := filepath.Join(env.WorkDir, fmt.Sprintf("scp-dst-%d", s.Flow))
	defer os.Remove(dst)
	_ = os.Remove(dst)

	var ln *net.TCPListener
	if err := env.B.Do(func() (err error) {
		ln, err = net.ListenTCP("tcp4", &net.TCPAddr{IP: env.AddrB.AsSlice()})
		return err
	}); err != nil {
		return res, fmt.Errorf("listen in %s: %w", env.B.Name, err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port

	u, err := user.Current()
	if err != nil {
		return res, err
	}
	runCtx, cancel := context.WithTimeout(ctx, s.Duration+10*time.Second)
	defer cancel()
	before, _ := tcpCountersIn(env)
	start := time.Now()
	cli := env.A.Command(runCtx, "scp", "-q", "-i", filepath.Join(d.dir, "client_key"), "-P", strconv.Itoa(port),
		"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
		"-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR",
		src, fmt.Sprintf("%s@%s:%s", u.Username, env.AddrB, dst))
	var cliErr bytes.Buffer
	cli.Stdout, cli.Stderr = &cliErr, &cliErr
	prepare(cli, 3*time.Second)
	if err := cli.Start(); err != nil {
		return res, fmt.Errorf("start scp: %w", err)
	}
	cliDone := make(chan error, 1)
	go func() { cliDone <- cli.Wait() }()

	ln.SetDeadline(time.Now().Add(15 * time.Second))
	conn, err := ln.AcceptTCP()
	if err != nil {
		_ = cli.Cancel()
		<-cliDone
		return res, fmt.Errorf("scp never connected: %w: %s", err, strings.TrimSpace(cliErr.String()))
	}
	connFile, err := conn.File()
	conn.Close()
	if err != nil {
		_ = cli.Cancel()
		<-cliDone
		return res, err
	}
	srv := env.B.Command(runCtx, "/usr/sbin/sshd", "-i", "-e", "-f", filepath.Join(d.dir, "sshd_config"))
	var srvErr bytes.Buffer
	srv.Stdin, srv.Stdout, srv.Stderr = connFile, connFile, &srvErr
	prepare(srv, 3*time.Second)
	err = srv.Start()
	connFile.Close()
	if err != nil {
		_ = cli.Cancel()
		<-cliDone
		return res, fmt.Errorf("start sshd: %w", err)
	}
	cliErrRun := <-cliDone
	elapsed := time.Since(start)
	srvDone := make(chan error, 1)
	go func() { srvDone <- srv.Wait() }()
	select { // sshd -i ends with its connection; give it 5 s
	case <-srvDone:
	case <-time.After(5 * time.Second):
		_ = srv.Cancel()
		<-srvDone
	}
	after, _ := tcpCountersIn(env)

	res.Sender, res.Receiver = usageOf(cli), usageOf(srv)
	res.RetransPct = RetransPct(before, after)
	st, statErr := os.Stat(dst)
	if statErr == nil {
		res.Bytes = st.Size()
	}
	res.Seconds = elapsed.Seconds()
	res.GoodputMbit = goodput(res.Bytes, res.Seconds)
	res.Note = "TCP " + defaultCCIn(env)
	switch {
	case runCtx.Err() != nil && res.Bytes > 0:
		res.Note += fmt.Sprintf("; stopped at the deadline: %d of %d MiB copied", res.Bytes>>20, size>>20)
	case cliErrRun != nil:
		return res, wrapRunErr("scp", cliErrRun, cliErr.String()+" "+srvErr.String())
	case res.Bytes != size:
		return res, fmt.Errorf("scp finished but %d of %d bytes arrived", res.Bytes, size)
	}
	return res, nil
}

// tcpCountersIn reads the TCP counters of namespace A (the sender).
func tcpCountersIn(env *Env) (TCPCounters, error) {
	var c TCPCounters
	err := env.A.Do(func() (err error) {
		c, err = ReadTCPCounters("thread-self")
		return err
	})
	return c, err
}

// defaultCCIn names namespace A's default TCP congestion control.
func defaultCCIn(env *Env) string {
	cc := "default congestion control"
	_ = env.A.Do(func() error {
		b, err := os.ReadFile("/proc/sys/net/ipv4/tcp_congestion_control")
		if err == nil {
			cc = strings.TrimSpace(string(b)) + " (namespace default)"
		}
		return err
	})
	return cc
}
