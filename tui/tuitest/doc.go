// Package tuitest has in-memory fakes of the TUI's interfaces (Client,
// EventStream, LocalFS, LocationStore, Connector) for tests of the TUI and
// of code that wires it.
package tuitest
