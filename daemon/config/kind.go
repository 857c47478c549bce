package config

// Kind is the type of a configuration key.
type Kind int

// Kinds of keys. The comment says how the key is written in TOML, in flags
// and environment variables, and what File.Lookup returns for it.
const (
	// KindBool: TOML true/false; env true/false/1/0/yes/no/on/off; Lookup: bool.
	KindBool Kind = iota + 1
	// KindInt: TOML integer; env decimal; Lookup: int.
	KindInt
	// KindRate: kbit/s; TOML number or rate string ("500M", see ParseRate);
	// env and flags a rate string; Lookup: float64 kbit/s.
	KindRate
	// KindString: TOML string; env as is; Lookup: string.
	KindString
	// KindDuration: Go duration string ("30s", "1h30m"); Lookup: the
	// duration as such a string.
	KindDuration
	// KindStringList: TOML array of strings; env and flags comma-separated;
	// Lookup: []any of strings (the shape kong's slice mapper accepts).
	KindStringList
)

// String names the kind as shown in help and man pages.
func (k Kind) String() string {
	switch k {
	case KindBool:
		return "bool"
	case KindInt:
		return "int"
	case KindRate:
		return "rate"
	case KindString:
		return "string"
	case KindDuration:
		return "duration"
	case KindStringList:
		return "list"
	}
	return "invalid"
}
