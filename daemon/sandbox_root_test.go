package daemon

import "testing"

func TestPlaceholderBase(t *testing.T) {
	tests := []struct {
		tmpl, base string
		ok         bool
	}{
		{"/storage/%u", "/storage", true},
		{"/storage/%u/data", "/storage", true},
		{"/a/b/home-%f", "/a/b", true},
		{"/%u", "/", true},
		{"/storage/shared", "", false},
		{"/storage/100%%/x", "", false},
		{"/storage/100%%/%u", "/storage/100%", true},
		{"/storage//%u/", "/storage", true},
	}
	for _, tc := range tests {
		base, ok := placeholderBase(tc.tmpl)
		if base != tc.base || ok != tc.ok {
			t.Errorf("placeholderBase(%q) = %q, %v; want %q, %v", tc.tmpl, base, ok, tc.base, tc.ok)
		}
	}
}
