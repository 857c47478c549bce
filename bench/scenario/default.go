package scenario

import _ "embed"

//go:embed matrix.toml
var defaultMatrix []byte

// Default returns the built-in matrix (matrix.toml in this package).
func Default() (*Matrix, error) { return Parse(defaultMatrix) }

// DefaultTOML returns the text of the built-in matrix.
func DefaultTOML() []byte { return append([]byte(nil), defaultMatrix...) }
