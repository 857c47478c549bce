package driver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
	"time"
)

// Requirement maps an executable to the Debian package that provides it.
type Requirement struct {
	Binary  string // name looked up in PATH, or an absolute path
	Package string
}

// Requirements of the built-in drivers and of the harness itself.
var (
	ReqIP     = Requirement{"ip", "iproute2"}
	ReqIperf3 = Requirement{"iperf3", "iperf3"}
	ReqSCP    = []Requirement{{"scp", "openssh-client"}, {"ssh-keygen", "openssh-client"}, {"/usr/sbin/sshd", "openssh-server"}}
)

// policyRC keeps package scripts from starting services (sshd on port 22
// in the root namespace) while we install.
const policyRC = "/usr/sbin/policy-rc.d"

// installTimeout bounds apt-get update + install.
const installTimeout = 5 * time.Minute

func have(bin string) bool {
	if strings.HasPrefix(bin, "/") {
		st, err := os.Stat(bin)
		return err == nil && st.Mode()&0o111 != 0
	}
	_, err := exec.LookPath(bin)
	return err == nil
}

// Missing returns the packages whose binaries are absent, sorted and unique.
func Missing(reqs []Requirement) []string {
	set := map[string]bool{}
	for _, r := range reqs {
		if !have(r.Binary) {
			set[r.Package] = true
		}
	}
	var pkgs []string
	for p := range set {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	return pkgs
}

// Install installs the packages of missing binaries with apt-get (run
// `apt-get update` first), without starting any service: if no
// policy-rc.d exists, one that refuses service starts is put in place for
// the duration and removed afterwards. It is a no-op when nothing is
// missing.
func Install(ctx context.Context, log io.Writer, reqs []Requirement) error {
	pkgs := Missing(reqs)
	if len(pkgs) == 0 {
		return nil
	}
	if !have("apt-get") {
		return fmt.Errorf("missing %s and no apt-get to install them", strings.Join(pkgs, ", "))
	}
	ctx, cancel := context.WithTimeout(ctx, installTimeout)
	defer cancel()
	if _, err := os.Stat(policyRC); errors.Is(err, os.ErrNotExist) {
		if err := os.WriteFile(policyRC, []byte("#!/bin/sh\n# temporary: wanbench is installing packages\nexit 101\n"), 0o755); err != nil {
			return fmt.Errorf("write %s: %w", policyRC, err)
		}
		defer os.Remove(policyRC)
	}
	fmt.Fprintf(log, "wanbench: installing %s (apt-get)\n", strings.Join(pkgs, " "))
	env := append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	run := func(args ...string) error {
		cmd := exec.CommandContext(ctx, "apt-get", args...)
		cmd.Env, cmd.Stdout, cmd.Stderr = env, log, log
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("apt-get %s: %w", strings.Join(args, " "), err)
		}
		return nil
	}
	if err := run("update", "-qq"); err != nil {
		return err
	}
	if err := run(append([]string{"install", "-y", "-qq", "--no-install-recommends"}, pkgs...)...); err != nil {
		return err
	}
	if still := Missing(reqs); len(still) > 0 {
		return fmt.Errorf("still missing after install: %s", strings.Join(still, ", "))
	}
	return nil
}
