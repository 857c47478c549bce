package config

import (
	"errors"
	"fmt"
)

// Validate checks every field: ports 0-65535 (0 = pick a free port), hosts
// and addresses parse, directories are absolute, the sandbox uses only %u,
// the log level is known, rates and sizes are in range. All problems are
// reported, one per line, as "key: reason".
func (s *Server) Validate() error {
	if s == nil {
		return errors.New("config: Validate of a nil Server")
	}
	var errs []error
	for i := range specs {
		if err := specs[i].check(s); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", specs[i].Name, err))
		}
	}
	return errors.Join(errs...)
}
