package config

import (
	"fmt"
	"strconv"
	"unicode"
)

// hostField is one key of a host profile.
type hostField struct {
	name   string
	decode func(v any) (any, error)    // decoded TOML → checked value
	set    func(p *HostProfile, v any) // store a decoded value
	check  func(p *HostProfile) error  // validate the stored value
	format func(p *HostProfile) string // TOML literal; "" = not set
}

// stringHostField is a string key checked by check ("" is always allowed).
func stringHostField(name string, ptr func(*HostProfile) *string, check func(string) error, numbers bool) hostField {
	checkSet := func(s string) error {
		if s == "" {
			return nil
		}
		return check(s)
	}
	return hostField{
		name: name,
		decode: func(v any) (any, error) {
			s, err := tomlString(v)
			if numbers {
				switch n := v.(type) {
				case int64:
					s, err = strconv.FormatInt(n, 10), nil
				case float64:
					s, err = strconv.FormatFloat(n, 'f', -1, 64), nil
				}
			}
			if err != nil {
				return nil, err
			}
			return s, checkSet(s)
		},
		set:   func(p *HostProfile, v any) { *ptr(p) = v.(string) },
		check: func(p *HostProfile) error { return checkSet(*ptr(p)) },
		format: func(p *HostProfile) string {
			if *ptr(p) == "" {
				return ""
			}
			return quoteTOML(*ptr(p))
		},
	}
}

// checkProfilePort accepts 0 (the default port) or 1-65535.
func checkProfilePort(n int) error {
	if n < 0 || n > 65535 {
		return fmt.Errorf("must be between 1 and 65535 (or 0 for %d), got %d", DefaultAPIPort, n)
	}
	return nil
}

// hostFields lists the keys of a host profile in the order Save writes them.
var hostFields = []hostField{
	stringHostField("address", func(p *HostProfile) *string { return &p.Address }, checkHost, false),
	{
		name: "api-port",
		decode: func(v any) (any, error) {
			n, err := tomlInt(v)
			if err != nil {
				return nil, err
			}
			return n, checkProfilePort(n)
		},
		set:   func(p *HostProfile, v any) { p.APIPort = v.(int) },
		check: func(p *HostProfile) error { return checkProfilePort(p.APIPort) },
		format: func(p *HostProfile) string {
			if p.APIPort == 0 {
				return ""
			}
			return strconv.Itoa(p.APIPort)
		},
	},
	stringHostField("user", func(p *HostProfile) *string { return &p.User }, checkUserName, false),
	stringHostField("rate", func(p *HostProfile) *string { return &p.Rate }, checkRateString, true),
	stringHostField("min-rate", func(p *HostProfile) *string { return &p.MinRate }, checkRateString, true),
	stringHostField("cipher", func(p *HostProfile) *string { return &p.Cipher }, oneOf(cipherNames), false),
	stringHostField("policy", func(p *HostProfile) *string { return &p.Policy }, oneOf(policyNames), false),
}

// hostFieldNames lists the profile keys, for suggestions.
var hostFieldNames = func() []string {
	n := make([]string, len(hostFields))
	for i, f := range hostFields {
		n[i] = f.name
	}
	return n
}()

// checkUserName refuses blanks and control characters.
func checkUserName(s string) error {
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == 0xFFFD {
			return fmt.Errorf("%s is not a valid user name (no blanks or control characters)", quoteShort(s))
		}
	}
	return nil
}

// checkRateString accepts a ParseRate string.
func checkRateString(s string) error {
	_, err := ParseRate(s)
	return err
}

// oneOf accepts one of names.
func oneOf(names []string) func(string) error {
	return func(s string) error {
		for _, n := range names {
			if s == n {
				return nil
			}
		}
		list := ""
		for i, n := range names {
			switch {
			case i == 0:
			case i == len(names)-1:
				list += " or "
			default:
				list += ", "
			}
			list += n
		}
		return fmt.Errorf("must be %s, got %s%s", list, quoteShort(s), suggest(s, names))
	}
}
