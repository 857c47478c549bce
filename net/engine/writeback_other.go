//go:build !linux

package engine

func newWriteBehind(File) *writeBehind { return &writeBehind{} }
