//go:build race

package main

// raceEnabled: under the race detector each login to the in-process daemon
// costs seconds (argon2id in instrumented code), so TestScript runs only
// raceScripts, which cover the concurrent paths (progress callbacks,
// signals, interrupted sessions, server-side follow).
const raceEnabled = true
