// Package format turns numbers, times and untrusted strings into the short
// text the TUI shows. Everything here is pure and table-tested.
package format
