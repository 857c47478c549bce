package driver

import (
	"context"
	"os"
	"path/filepath"
)

// Jetstream is the driver for the project's own transfer: `jscp` with a
// file in namespace A to a `jetstream server` daemon in namespace B, with
// rate, retransmissions and the time series taken from `jscp --json`.
//
// It reports ErrNotAvailable until the engine and jscp are usable; the
// lead wires Run once they are. The intended Run:
//
//  1. start `ip netns exec B jetstream server` with a temporary state dir
//     and sandbox, a test user, API and UDP on AddrB (prepare(), wait for
//     the API port with waitListening);
//  2. run `ip netns exec A jscp --json --policy <Policy> --rate <link>
//     <file> <user>@<AddrB>:/` bounded by Spec.Duration + 30 s;
//  3. fill Result from the jscp JSON summary (bytes, seconds, retransmitted
//     bytes / sent bytes → RetransPct, progress events → Series) and the
//     rusage of the jscp (sender) and daemon (receiver) processes.
type Jetstream struct {
	// Policy is the rate policy: "fair" (default) or "low".
	Policy string
	// JSCP and Server are the binaries; empty means bin/jscp and
	// bin/jetstream next to the running executable.
	JSCP, Server string
}

// Name is "jetstream" or "jetstream-<policy>" for non-default policies.
func (d Jetstream) Name() string {
	if d.Policy == "" || d.Policy == "fair" {
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

// Check reports the driver as not available until it is wired.
func (d Jetstream) Check(context.Context) error {
	jscp, server := d.binaries()
	if !have(jscp) || !have(server) {
		return NotAvailable("jscp/jetstream not built (engine in progress)")
	}
	return NotAvailable("jetstream driver not wired yet (waiting for jscp --json)")
}

// Run is not wired yet; see the type's documentation.
func (d Jetstream) Run(ctx context.Context, _ *Env, _ Spec) (Result, error) {
	return Result{Tool: d.Name(), RetransPct: -1}, d.Check(ctx)
}
