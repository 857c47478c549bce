// Package api is the wire contract of the JetStream daemon's API: the request
// and response envelopes, error codes, structures and the method table.
//
// The transport is TLS 1.3 on TCP (default port 8886) carrying one JSON object
// per line. A request is
//
//	{"id":7,"request":"send.createManifest","parameters":{...}}
//
// and its response
//
//	{"id":7,"status":"success","message":"...","result":{...},"apiVersion":40}
//
// Requests may be pipelined; responses carry the request's id. A "watch"
// request turns the connection into an event stream as well: events arrive as
// {"id":N,"event":{...}} lines tagged with the watch request's id.
//
// This package imports only the standard library so that every front end can
// depend on it.
package api

// APIVersion is the version of this wire contract. Clients warn when the
// server's version differs from theirs.
const APIVersion = 40

// Default ports of the product.
const (
	DefaultAPIPort   = 8886 // TCP: the API
	DefaultRecvPort  = 8886 // UDP: transfer data
	DefaultRelayPort = 8887 // TCP: server to relay control link
)

// MaxLineBytes is the default limit of one request line.
const MaxLineBytes = 4 << 20
