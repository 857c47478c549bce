// Package docgen turns the kong command-line models of jetstream and jscp,
// the API method table, the configuration key table and the trigger
// reference into man pages and shell completion scripts. The generated
// files are committed under man/ and completions/ and regenerated with
// `make generate`; `make check-generated` fails when they are stale.
//
// Subpackages: roff (a small roff writer and a Markdown subset converter),
// complete (bash, zsh and fish completion scripts) and man (the pages).
package docgen
