package filelist

import "flag"

// -update regenerates golden files in tui; accepted here so that
// `go test ./tui/... -update` runs every package.
var _ = flag.Bool("update", false, "update .golden files (none in this package)")
