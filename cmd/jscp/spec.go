package main

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// remoteSpec is [user@]host[:apiport]:path.
type remoteSpec struct {
	User, Host string
	Port       int
	Path       string
}

// parseSpec reports whether arg names a remote location and parses it.
// Local paths containing ':' can be given as ./a:b or dir/a:b, as with scp.
func parseSpec(arg string) (remoteSpec, bool, error) {
	if strings.HasPrefix(arg, "/") || strings.HasPrefix(arg, "./") || strings.HasPrefix(arg, "../") {
		return remoteSpec{}, false, nil
	}
	i := strings.IndexByte(arg, ':')
	if i < 0 || strings.ContainsRune(arg[:i], '/') {
		// As scp: a '/' before the first ':' makes it a local path.
		return remoteSpec{}, false, nil
	}
	var s remoteSpec
	hostPart, rest := arg[:i], arg[i+1:]
	if at := strings.LastIndexByte(hostPart, '@'); at >= 0 {
		s.User, hostPart = hostPart[:at], hostPart[at+1:]
		if s.User == "" {
			return s, true, fmt.Errorf("%q: empty user name before '@'", arg)
		}
	}
	if hostPart == "" || strings.ContainsAny(hostPart, "/ ") {
		return s, true, fmt.Errorf("%q: malformed host (want [user@]host[:port]:path)", arg)
	}
	s.Host = hostPart
	if j := strings.IndexByte(rest, ':'); j > 0 && isDigits(rest[:j]) {
		p, err := strconv.Atoi(rest[:j])
		if err != nil || p < 1 || p > 65535 {
			return s, true, fmt.Errorf("%q: port %q must be 1-65535", arg, rest[:j])
		}
		s.Port, rest = p, rest[j+1:]
	}
	s.Path = rest
	return s, true, nil
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// parseHost parses [user@]host[:port] (the --via value).
func parseHost(arg string) (remoteSpec, error) {
	s, _, err := parseSpec(arg + ":")
	if err != nil {
		return s, err
	}
	if s.Path != "" {
		return s, fmt.Errorf("%q: want [user@]host[:port]", arg)
	}
	return s, nil
}

// sameServer refuses remote sources on different servers.
func sameServer(srcs []remoteSpec) error {
	for _, s := range srcs[1:] {
		if s.Host != srcs[0].Host || s.Port != srcs[0].Port || s.User != srcs[0].User {
			return fail(exitUsage, "usage", "all remote sources must be on the same server (%s and %s)", srcs[0].Host, s.Host)
		}
	}
	return nil
}

// absPaths makes local paths absolute (for a daemon on this machine).
func absPaths(paths []string) ([]string, error) {
	out := make([]string, len(paths))
	for i, p := range paths {
		a, err := filepath.Abs(p)
		if err != nil {
			return nil, wrap(exitNoSource, "source", err)
		}
		out[i] = a
	}
	return out, nil
}
