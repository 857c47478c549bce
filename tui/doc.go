// Package tui is `jetstream tui`: a bubbletea (v1) application to browse
// servers, queue transfers and watch them.
//
// The structure follows soft-serve: a root model (this package) with one
// component per screen (tui/screens/...), widgets (tui/components/...),
// one styles package and one keymap package, and a Common value embedded
// everywhere. The TUI reaches servers only through the Client interface
// (defined in tui/common and re-exported here); ClientAdapter implements it
// over daemon/client, queueing server-to-server transfers on the daemon.
// Uploads and downloads run in this process: tui/direct wraps a Client to
// run them through a Runner that cmd/jetstream builds over net/peer.
// The package never imports the daemon, net/..., fsops or kcp-go
// (deps_test.go enforces it).
package tui
