package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/jetstream-go/jetstream/daemon/api"
)

// Set by the linker (-X main.version=... etc.).
var (
	version = ""
	commit  = ""
	date    = ""
)

type versionCmd struct{}

func (versionCmd) Run(env *runEnv) error {
	v, c, d := buildInfo()
	_, err := fmt.Fprintf(env.Stdout, "jetstream %s\ncommit: %s\nbuilt: %s\napi version: %d\ngo: %s %s/%s\n",
		v, c, d, api.APIVersion, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return err
}

// buildInfo returns version, commit and date from ldflags, falling back to
// the module and VCS information Go records in the binary.
func buildInfo() (v, c, d string) {
	v, c, d = version, commit, date
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch {
			case s.Key == "vcs.revision" && c == "":
				c = s.Value
			case s.Key == "vcs.time" && d == "":
				d = s.Value
			}
		}
	}
	if v == "" {
		v = "dev"
	}
	if c == "" {
		c = "unknown"
	}
	if d == "" {
		d = "unknown"
	}
	return v, c, d
}

func versionString() string {
	v, _, _ := buildInfo()
	return v
}
