// Package config is the typed configuration of the JetStream daemon and its
// clients.
//
// The server configuration ([Server]) is layered: [Default] values, then a
// strictly checked TOML file ([LoadFile], [File.Apply]), then JETSTREAM_*
// environment variables ([ApplyEnv]), then command-line flags (applied by
// cmd/jetstream, which may use [File.Lookup], [Keys] and [Server.Set]), and
// finally [Server.Validate]. Every key has the same kebab-case name as a TOML
// key and as a flag of `jetstream server`, and an upper-case environment
// variable (api-port, --api-port, JETSTREAM_API_PORT).
//
// Problems in a file are reported with file:line:column and the reason, for
// example
//
//	jetstream.toml:7:1: unknown key "api-prot" (did you mean "api-port"?)
//	jetstream.toml:3:12: api-port: must be between 1 and 65535 (or 0 for any free port), got 70000
//
// The client configuration ([Client], ~/.config/jetstream/config.toml) holds
// named host profiles used by jscp and the TUI. Rates are written as in ascp:
// a plain number is kbit/s, K, M, G and T suffixes are bit/s multipliers
// ([ParseRate]).
//
// This package depends only on the standard library and go-toml/v2.
package config
