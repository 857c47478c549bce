// Package client is the Go client of the JetStream daemon API. jscp, the
// `jetstream api` console and the TUI use it; it depends only on daemon/api.
//
// A Client is one TLS connection carrying pipelined requests. The server's
// certificate is pinned on first use in a known-hosts file (like ssh), or
// verified against a CA file.
package client
