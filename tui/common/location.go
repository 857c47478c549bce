package common

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"unicode"
)

// Location is a saved (or typed-in) server to connect to: a [hosts.NAME]
// profile of the client config.
type Location struct {
	Name    string // profile name; empty for an ad-hoc target
	Address string // host name or IP of the server (default: the name)
	APIPort int    // API port (0 = api.DefaultAPIPort)
	User    string // account on the server
	Rate    string // target rate, config.ParseRate syntax ("500M"; "" = default)
	MinRate string // minimum rate, same syntax
	Cipher  string // minimum cipher: none, auth, aes128, aes256 ("" = default)
	Policy  string // fixed, fair or low ("" = server default)
}

// Label is how the location is shown: its name, else user@address:port.
func (l Location) Label() string {
	if l.Name != "" {
		return l.Name
	}
	return l.Target()
}

// Target is user@address:port (user and port only when set).
func (l Location) Target() string {
	s := l.Address
	if strings.Contains(s, ":") {
		s = "[" + s + "]"
	}
	if l.APIPort != 0 {
		s += ":" + strconv.Itoa(l.APIPort)
	}
	if l.User != "" {
		s = l.User + "@" + s
	}
	return s
}

// ParseTarget parses "[user@]host[:port]" as typed on the command line.
// IPv6 addresses take brackets when a port is given ("[::1]:8886").
func ParseTarget(s string) (Location, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Location{}, fmt.Errorf("empty target: want [user@]host[:port]")
	}
	var loc Location
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		loc.User = s[:i]
		s = s[i+1:]
		if loc.User == "" {
			return Location{}, fmt.Errorf("target %q: empty user name before @", s)
		}
	}
	host, port := s, ""
	if strings.HasPrefix(s, "[") || strings.Count(s, ":") == 1 {
		h, p, err := net.SplitHostPort(s)
		if err != nil {
			if !strings.HasPrefix(s, "[") || !strings.HasSuffix(s, "]") {
				return Location{}, fmt.Errorf("target %q: %v", s, err)
			}
			h = strings.Trim(s, "[]")
		}
		if err == nil && p == "" {
			return Location{}, fmt.Errorf("target %q: empty port after ':'", s)
		}
		host, port = h, p
	}
	if host == "" {
		return Location{}, fmt.Errorf("target %q: empty host", s)
	}
	if strings.Contains(host, ":") && net.ParseIP(host) == nil {
		return Location{}, fmt.Errorf("target %q: %q is neither a host name nor an IP address", s, host)
	}
	if net.ParseIP(host) == nil && !validHostName(host) {
		return Location{}, fmt.Errorf("target %q: invalid host name %q", s, host)
	}
	if strings.IndexFunc(loc.User, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return Location{}, fmt.Errorf("target %q: the user name contains blanks or control characters", s)
	}
	loc.Address = host
	if port != "" {
		p, err := ParsePort(port)
		if err != nil {
			return Location{}, fmt.Errorf("target %q: %v", s, err)
		}
		loc.APIPort = p
	}
	return loc, nil
}

// validHostName accepts letters, digits, '.', '-' and '_' (DNS names as
// people write them), 1 to 253 bytes.
func validHostName(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, r := range h {
		if !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) || r == '.' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// ParsePort parses a TCP port number 1-65535.
func ParsePort(s string) (int, error) {
	p, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || p < 1 || p > 65535 {
		return 0, fmt.Errorf("invalid port %q: want a number from 1 to 65535", s)
	}
	return p, nil
}

// LocationStore loads and saves the saved locations (the [hosts.NAME]
// profiles of ~/.config/jetstream/config.toml).
type LocationStore interface {
	// Load returns the saved locations sorted by name. A missing file is
	// no locations, not an error.
	Load() ([]Location, error)
	// Save replaces the saved locations, keeping every other setting of
	// the file.
	Save(locs []Location) error
	// Path is the file the locations live in, for messages.
	Path() string
}
