package store

import "fmt"

// maxNameLen is useradd's limit on user names.
const maxNameLen = 32

// ValidateAccountName checks a built-in account name against the rules
// useradd applies to Unix user names by default: 1 to 32 characters, a
// lower-case letter or "_" first, then lower-case letters, digits, "_" or
// "-", optionally ending in "$". "root" is refused too: a built-in account
// must never stand in for the superuser's system identity.
func ValidateAccountName(name string) error {
	if name == "" {
		return fmt.Errorf("%w: empty name", ErrInvalidName)
	}
	if len(name) > maxNameLen {
		return fmt.Errorf("%w: %q is longer than %d characters", ErrInvalidName, name, maxNameLen)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		ok := c >= 'a' && c <= 'z' || c == '_' ||
			i > 0 && (c >= '0' && c <= '9' || c == '-') ||
			i > 0 && i == len(name)-1 && c == '$'
		if !ok {
			return fmt.Errorf("%w: %q: character %q at position %d is not allowed (use a-z, 0-9, _ and -, starting with a letter or _)",
				ErrInvalidName, name, rune(c), i+1)
		}
	}
	if name == "root" {
		return fmt.Errorf("%w: %q is reserved for the system superuser", ErrInvalidName, name)
	}
	return nil
}

// maxPassword bounds password length (bcrypt ignores bytes past 72; argon2id
// has no limit, but nobody types a kilobyte).
const maxPassword = 1024

// validatePassword refuses passwords no login could use.
func validatePassword(pw string) error {
	switch {
	case pw == "":
		return fmt.Errorf("%w: empty password (password-less accounts cannot log in)", ErrInvalidPassword)
	case len(pw) > maxPassword:
		return fmt.Errorf("%w: longer than %d bytes", ErrInvalidPassword, maxPassword)
	}
	for i := 0; i < len(pw); i++ {
		if pw[i] == 0 {
			return fmt.Errorf("%w: contains a NUL byte", ErrInvalidPassword)
		}
	}
	return nil
}
