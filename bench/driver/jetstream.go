package driver

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"time"
)

// DefaultJetstreamBytes is the largest file a jetstream run sends (the
// issue's 1 GiB); smaller when the link rate × duration is smaller.
const DefaultJetstreamBytes = 1 << 30

// jsBasePort is the daemon's API (TCP) and data (UDP) port in namespace B
// for flow 0; flow i uses base+i. The namespace is private.
const jsBasePort = 8886

// jsUser and jsPassword are the built-in account the driver creates in
// each run's fresh state directory.
const (
	jsUser     = "jsbench"
	jsPassword = "wanbench-not-secret"
)

// Jetstream is the driver for the project's own transfer: `jscp` (direct
// mode) uploads a file from namespace A to a `jetstream server` daemon in
// namespace B. Goodput, retransmitted % and the time series come from
// `jscp --json`; CPU and peak RSS from the rusage of jscp (sender) and the
// daemon (receiver). Each run gets its own state directory, sandbox and
// daemon, so runs never resume one another.
type Jetstream struct {
	// Policy is the rate policy: "fair" (default), "low" or "fixed".
	Policy string
	// JSCP and Server are the binaries; empty means jscp and jetstream
	// next to the running executable.
	JSCP, Server string
	// MaxBytes caps the file size (0: DefaultJetstreamBytes). The file is
	// min(MaxBytes, link rate × Spec.Duration / Spec.Flows), at least
	// 1 MiB, so a flow with a fair share of a shared link lasts about as
	// long as the cell.
	MaxBytes int64
	// RateFactor sets jscp's target rate (-l) to this × the link rate
	// (0: 1, the product's usage: target = the link you bought). A
	// negative factor passes no -l, so the controller must find the
	// bottleneck on its own.
	RateFactor float64
	// ExtraArgs are appended to jscp's options (e.g. "--cipher", "none").
	ExtraArgs []string
	// Files > 0 sends a directory of Files files of FileBytes each (jscp
	// -r) instead of one large file; the note then gives files per second.
	Files     int
	FileBytes int64
	// Label distinguishes variants in Name ("jetstream-<label>").
	Label string
}

// Name is "jetstream" or "jetstream-<policy>" for non-default policies.
func (d Jetstream) Name() string {
	switch {
	case d.Label != "":
		return "jetstream-" + d.Label
	case d.Policy == "" || d.Policy == "fair":
		return "jetstream"
	}
	return "jetstream-" + d.Policy
}

func (d Jetstream) binaries() (jscp, server string) {
	jscp, server = d.JSCP, d.Server
	if exe, err := os.Executable(); err == nil {
		dir := filepath.Dir(exe)
		if jscp == "" {
			jscp = filepath.Join(dir, "jscp")
		}
		if server == "" {
			server = filepath.Join(dir, "jetstream")
		}
	}
	return jscp, server
}

// Check needs both binaries and the "nobody" account (built-in accounts
// write files with nobody's identity).
func (d Jetstream) Check(context.Context) error {
	jscp, server := d.binaries()
	for _, b := range []string{jscp, server} {
		if !have(b) {
			return NotAvailable("%s not built (go build -o bin/ ./cmd/jscp ./cmd/jetstream)", b)
		}
	}
	if _, err := user.Lookup("nobody"); err != nil {
		return NotAvailable("no 'nobody' account for the daemon's built-in user: %v", err)
	}
	switch d.Policy {
	case "", "fair", "low", "fixed":
	default:
		return fmt.Errorf("jetstream: unknown policy %q (want fair, low or fixed)", d.Policy)
	}
	return nil
}

// fileSize is the number of bytes one run sends.
func (d Jetstream) fileSize(s Spec) int64 {
	if d.Files > 0 {
		return int64(d.Files) * d.FileBytes
	}
	maxB := d.MaxBytes
	if maxB <= 0 {
		maxB = DefaultJetstreamBytes
	}
	size := min(int64(float64(s.RateBps)/8*s.Duration.Seconds()/float64(max(s.Flows, 1))), maxB)
	return max(size, 1<<20)
}

// rateArg is jscp's -l value in bit/s ("" for none).
func (d Jetstream) rateArg(s Spec) string {
	f := d.RateFactor
	if f == 0 {
		f = 1
	}
	if f < 0 || s.RateBps <= 0 {
		return ""
	}
	return strconv.FormatInt(int64(float64(s.RateBps)*f/1000), 10) + "K"
}

// jscpArgs is the jscp command line of one run.
func (d Jetstream) jscpArgs(src string, port int, host string, s Spec) []string {
	args := []string{"--json", "--no-progress", "--no-resume", "--overwrite", "always",
		"--policy", policyOrFair(d.Policy), "-P", strconv.Itoa(port)}
	if d.Files > 1 {
		args = append(args, "-r")
	}
	if r := d.rateArg(s); r != "" {
		args = append(args, "-l", r)
	}
	args = append(args, d.ExtraArgs...)
	return append(args, src, fmt.Sprintf("%s@%s:/", jsUser, host))
}

func policyOrFair(p string) string {
	if p == "" {
		return "fair"
	}
	return p
}

// Run starts a daemon in B, uploads a file from A with jscp, stops the
// daemon and reports. The upload is stopped at 2 × Spec.Duration + 30 s;
// a cut-short run reports what was acknowledged, with a note.
func (d Jetstream) Run(ctx context.Context, env *Env, s Spec) (Result, error) {
	res := Result{Tool: d.Name(), RetransPct: -1}
	runStart := time.Now() // the caller started the emulator just before
	if err := d.Check(ctx); err != nil {
		return res, err
	}
	jscpBin, serverBin := d.binaries()
	size := d.fileSize(s)
	var src string
	var err error
	if d.Files > 1 {
		src, err = sourceTree(env.WorkDir, d.Files, d.FileBytes)
	} else {
		src, err = sourceFile(env.WorkDir, size)
	}
	if err != nil {
		return res, fmt.Errorf("jetstream source: %w", err)
	}
	// Not under WorkDir (mode 0700): the daemon writes the sandbox as
	// nobody, who must be able to reach it.
	dir, err := os.MkdirTemp("", fmt.Sprintf("wanbench-js%d-", s.Flow))
	if err != nil {
		return res, err
	}
	defer removeOrKeep(dir, env.WorkDir, d.Files > 1)
	if err := os.Chmod(dir, 0o711); err != nil {
		return res, err
	}
	srv, err := startDaemon(ctx, env, serverBin, dir, jsBasePort+s.Flow)
	if err != nil {
		return res, err
	}
	defer srv.stop()

	runCtx, cancel := context.WithTimeout(ctx, 2*s.Duration+30*time.Second)
	defer cancel()
	port := jsBasePort + s.Flow
	cli := env.A.Command(runCtx, jscpBin, d.jscpArgs(src, port, env.AddrB.String(), s)...)
	cli.Env = append(os.Environ(), "JETSTREAM_API_PASSWORD="+jsPassword,
		"JETSTREAM_KNOWN_HOSTS="+filepath.Join(dir, "known_hosts"))
	var out, errOut bytes.Buffer
	cli.Stdout, cli.Stderr = &out, &errOut
	prepare(cli, 3*time.Second)
	runErr := cli.Run()
	srvErr := srv.stop()
	res.Sender, res.Receiver = usageOf(cli), usageOf(srv.cmd)

	sum, perr := parseJSCP(out.Bytes())
	if perr != nil {
		return res, fmt.Errorf("%v; %v; daemon: %s", perr, wrapRunErr("jscp", runErr, errOut.String()), srv.logTail())
	}
	res.Bytes, res.Seconds, res.RetransPct, res.Series = sum.Bytes, sum.Seconds, sum.RetransPct, sum.Series
	if sum.Wall > sum.Seconds {
		res.WallSeconds = sum.Wall
	}
	res.GoodputMbit = goodput(res.Bytes, res.Seconds)
	if !sum.Start.IsZero() {
		// Series times count from jscp's start; the emulator's from just
		// before Run. Shift by the daemon set-up so the plots line up.
		off := sum.Start.Sub(runStart).Seconds()
		for i := range res.Series {
			res.Series[i].T += max(off, 0)
		}
	}
	res.Note = fmt.Sprintf("%d MiB file", size>>20)
	if d.Files > 0 {
		wall := max(sum.Wall, sum.Seconds)
		res.Note = fmt.Sprintf("%d × %d B in %.0f ms end to end, %.0f files/s", d.Files, d.FileBytes, wall*1000, float64(sum.FilesOK)/max(wall, 1e-9))
	}
	if res.WallSeconds > 0 {
		res.Note += fmt.Sprintf("; login %.0f ms before the transfer", (res.WallSeconds-res.Seconds)*1000)
	}
	if r := d.rateArg(s); r != "" {
		res.Note += ", -l " + r
	}
	switch {
	case runCtx.Err() != nil && ctx.Err() == nil:
		res.Note += fmt.Sprintf("; stopped at the deadline: %d of %d MiB acknowledged", res.Bytes>>20, size>>20)
	case !sum.Complete || sum.Failed > 0 || runErr != nil:
		return res, fmt.Errorf("jscp: %s; %v; daemon: %s", sum.Err, wrapRunErr("jscp", runErr, errOut.String()), srv.logTail())
	case sum.Bytes != size:
		return res, fmt.Errorf("jscp finished but %d of %d bytes were acknowledged", sum.Bytes, size)
	case srvErr != nil:
		res.Note += "; daemon: " + srvErr.Error()
	}
	return res, nil
}

// sourceTree returns a directory of n files of size bytes each in dir,
// creating it once (pseudo-random content, so nothing compresses).
// removeOrKeep removes a run's daemon directory, or with keep moves it into
// the work directory, which goes when the benchmark ends. A run that received
// thousands of files keeps them: deleting them now would slow the next run's
// file creation on filesystems that skip recently freed inodes (ext4 without
// a journal, this machine's root, scans past every inode freed in the last
// minute on each create: 22 us per create becomes 67 us after 10,000
// deletions), so repeats would measure the harness's clean-up.
func removeOrKeep(dir, workDir string, keep bool) {
	if keep && os.Rename(dir, filepath.Join(workDir, filepath.Base(dir))) == nil {
		return
	}
	os.RemoveAll(dir)
}

func sourceTree(dir string, n int, size int64) (string, error) {
	root := filepath.Join(dir, fmt.Sprintf("tree-%d-%d", n, size))
	done := filepath.Join(dir, fmt.Sprintf(".tree-%d-%d.done", n, size))
	if _, err := os.Stat(done); err == nil {
		return root, nil
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", err
	}
	rng := rand.NewChaCha8([32]byte{4, 5, 6})
	buf := make([]byte, size)
	for i := range n {
		rng.Read(buf)
		if err := os.WriteFile(filepath.Join(root, fmt.Sprintf("f%05d", i)), buf, 0o644); err != nil {
			return "", err
		}
	}
	if err := settle(root); err != nil {
		return "", err
	}
	return root, os.WriteFile(done, nil, 0o644)
}
