package store

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateAccountName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"alice", true},
		{"_svc", true},
		{"a", true},
		{"web-01", true},
		{"user_2", true},
		{"machine$", true},
		{strings.Repeat("a", 32), true},
		{"", false},
		{strings.Repeat("a", 33), false},
		{"Alice", false},
		{"1user", false},
		{"-user", false},
		{"al ice", false},
		{"al:ice", false},
		{"a/b", false},
		{"a$b", false},
		{"$", false},
		{"ali.ce", false},
		{"élodie", false},
		{"root", false},
		{"a\x00", false},
	}
	for _, tc := range tests {
		err := ValidateAccountName(tc.name)
		if (err == nil) != tc.ok {
			t.Errorf("ValidateAccountName(%q) = %v, want ok=%v", tc.name, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalidName) {
			t.Errorf("%q: error %v does not wrap ErrInvalidName", tc.name, err)
		}
	}
}

func TestValidatePassword(t *testing.T) {
	for _, tc := range []struct {
		pw   string
		want string
	}{
		{"", "empty password"},
		{strings.Repeat("p", maxPassword+1), "longer than"},
		{"a\x00b", "NUL"},
		{"correct horse", ""},
		{strings.Repeat("p", maxPassword), ""},
		{"päss wörd ✓", ""},
	} {
		err := validatePassword(tc.pw)
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, ErrInvalidPassword)) {
			t.Errorf("validatePassword(%.20q) = %v, want %q", tc.pw, err, tc.want)
		}
	}
}
