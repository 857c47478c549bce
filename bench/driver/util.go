package driver

import "os"

func readFileString(path string) (string, error) {
	b, err := os.ReadFile(path)
	return string(b), err
}
