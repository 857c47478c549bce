// Package common holds what every part of the TUI shares: the interfaces to
// the outside world (Client, LocalFS, Connector, LocationStore), the Common
// value embedded by every screen (size, styles, keys, clock), the Component
// contract and the cross-screen messages.
//
// The root package tui re-exports the interfaces as aliases; screens import
// this package so that the root model can import the screens without a
// cycle.
package common
