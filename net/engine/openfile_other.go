//go:build !unix

package engine

import (
	"io/fs"
	"os"
)

func openPlain(name string, flag int, perm fs.FileMode) (File, error) {
	return os.OpenFile(name, flag, perm)
}
