// Package store is the daemon's persistent state in its state directory
// (--persistent-state-dir). Two embedded bbolt databases live there:
//
//   - state.db holds typed JSON records in named buckets (settings, sandbox,
//     destinations, manifests, transfers, tokens, ...) and the event log. The
//     running daemon keeps it open, so bbolt holds an exclusive lock on it; a
//     second server on the same directory gets ErrInUse. Every committed write
//     is fsynced and survives a restart or kill -9.
//   - users.db holds the built-in accounts (accounts.go). It is a separate
//     file so that `jetstream user add|passwd|del|list` works while the daemon
//     runs: the daemon opens it read-only (shared lock) for the moment of one
//     login, the CLI read-write (exclusive lock), each with a short timeout.
//
// Bucket names starting with "_" are reserved for the store's own use.
//
// The event log is append-only and sequence-numbered. AppendEvent commits
// concurrent appends together (group commit): one caller commits at once in
// a small transaction, callers arriving meanwhile share the next one.
package store
