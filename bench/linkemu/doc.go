// Package linkemu is a user-space WAN link emulator for benchmarks.
//
// It forwards IP packets between two packet devices (normally TUN devices,
// one in each of two network namespaces) and applies, independently per
// direction, what a long lossy path does to them: a bottleneck rate with a
// drop-tail queue measured in time, one-way propagation delay with optional
// jitter, random (Bernoulli) loss and Gilbert–Elliott burst loss.
//
// The package is split the way the rest of the project is:
//
//   - config.go, spec.go: the per-direction configuration and its compact
//     text form ("delay=25ms,rate=500Mbit,queue=50ms,loss=1%").
//   - link.go, loss.go: the pure link model. [Link.Offer] maps "a packet of n
//     bytes arrives at time t" to "it leaves at time d" or "it is dropped,
//     and why". It does no I/O and takes time as an argument.
//   - forward.go, delayline.go, pool.go: the I/O loop that reads packets,
//     asks the model, holds forwarded packets until their departure time and
//     writes them out.
//   - stats.go: per-direction atomic counters and their JSON snapshot, so
//     every run can be audited.
//   - tun_linux.go: opening TUN devices (IFF_TUN|IFF_NO_PI).
//
// Departure times are honoured with the resolution of Go timers (about one
// millisecond on Linux): packets that become due while the writer sleeps
// leave together, so the average rate is exact and bursts are at most about
// a millisecond of traffic. Lateness is reported in the counters.
package linkemu
