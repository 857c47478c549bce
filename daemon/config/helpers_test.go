package config

import "fmt"

// lookupDefault returns the root default of key in Lookup form.
func lookupDefault(key string) (any, bool) {
	sp, ok := specByName[key]
	if !ok {
		return nil, false
	}
	d := defaults(rootEnv)
	var v any
	// Read the field through a round trip of its TOML literal, which is
	// what the template shows.
	f, err := Parse("default", []byte(key+" = "+sp.format(&d)))
	if err != nil {
		return nil, false
	}
	v, _, ok = f.Lookup(key)
	return v, ok
}

// fmtAny formats a scalar Lookup value for the environment.
func fmtAny(v any) string { return fmt.Sprint(v) }
