//go:build !linux

package engine

func newGroupSync() *groupSync { return nil }
