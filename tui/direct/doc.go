// Package direct adds uploads and downloads that run in this process to a
// server's TUI Client.
//
// The daemon queues server-to-server transfers itself, but a direct upload
// or download needs this program to be one end of the UDP transfer. The
// TUI package must not link the transfer engine (STYLE.md §4), so the
// engine is injected as a Runner by cmd/jetstream; this package keeps the
// book: it starts each transfer in its own goroutine, turns the Runner's
// progress reports into api.Transfer rows merged into the server's list
// (so the transfers view shows them with bar, rate, ETA and sparkline),
// cancels them, and stops them all on Close.
package direct
