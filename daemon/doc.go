// Package daemon is the JetStream server: the TLS JSON API listener,
// sessions and their dispatch table, asynchronous requests, the event bus,
// persistent state, garbage collection and the transfer managers that drive
// the UDP engine.
//
// Server follows the net/http.Server shape: New, Serve(l) or ListenAndServe,
// Shutdown(ctx), Close.
package daemon
