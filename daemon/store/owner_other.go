//go:build !unix

package store

func matchDirOwner(dir, path string) error { return nil }
