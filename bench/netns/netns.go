// Package netns creates and uses named Linux network namespaces (the
// `ip netns` kind, bound under /run/netns) for the WAN benchmark: two
// private hosts joined only by the link emulator.
//
// Commands run inside a namespace through `ip netns exec`, which execs in
// place, so the PID the caller gets is the tool's own (its rusage is the
// tool's). Go code runs inside a namespace through Namespace.Do, which
// switches one locked OS thread; sockets and TUN devices created there stay
// in that namespace.
package netns

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"time"
)

// runDir is where `ip netns` binds namespaces.
const runDir = "/run/netns"

// cmdTimeout bounds every `ip` invocation.
const cmdTimeout = 10 * time.Second

var validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$`)

// Namespace is a named network namespace.
type Namespace struct {
	Name string
}

// RequireRoot returns a clear error unless the process runs as root, which
// creating namespaces and TUN devices needs.
func RequireRoot() error {
	if os.Geteuid() != 0 {
		return fmt.Errorf("needs root (creates network namespaces and TUN devices); running as uid %d", os.Geteuid())
	}
	return nil
}

// Create adds the namespace name and brings its loopback up. It fails if a
// namespace of that name already exists.
func Create(ctx context.Context, name string) (*Namespace, error) {
	if !validName.MatchString(name) {
		return nil, fmt.Errorf("bad namespace name %q", name)
	}
	if _, err := os.Stat(runDir + "/" + name); err == nil {
		return nil, fmt.Errorf("namespace %q already exists", name)
	}
	if err := runIP(ctx, "netns", "add", name); err != nil {
		return nil, err
	}
	ns := &Namespace{Name: name}
	if err := ns.IP(ctx, "link", "set", "lo", "up"); err != nil {
		_ = ns.Delete(context.WithoutCancel(ctx))
		return nil, err
	}
	return ns, nil
}

// Delete removes the namespace. Processes still inside keep it alive until
// they exit; callers stop their own processes first.
func (n *Namespace) Delete(ctx context.Context) error {
	return runIP(ctx, "netns", "del", n.Name)
}

// IP runs `ip -n <name> args...`.
func (n *Namespace) IP(ctx context.Context, args ...string) error {
	return runIP(ctx, append([]string{"-n", n.Name}, args...)...)
}

// IPOutput runs `ip -n <name> args...` and returns its standard output.
func (n *Namespace) IPOutput(ctx context.Context, args ...string) ([]byte, error) {
	return outputOf(ctx, "ip", append([]string{"-n", n.Name}, args...)...)
}

// Command returns a command that runs name with args inside the namespace.
func (n *Namespace) Command(ctx context.Context, name string, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", n.Name, name}, args...)...)
}

// Exists reports whether a namespace called name is bound.
func Exists(name string) bool {
	_, err := os.Stat(runDir + "/" + name)
	return err == nil
}

// List returns the names of all bound namespaces.
func List() ([]string, error) {
	ents, err := os.ReadDir(runDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names, nil
}

func runIP(ctx context.Context, args ...string) error {
	_, err := outputOf(ctx, "ip", args...)
	return err
}

func outputOf(ctx context.Context, name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, cmdTimeout)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}
