package fsops

import (
	"fmt"
	"strings"
)

// userParts splits a login name into the values of the %u, %d and %f
// placeholders: "DOMAIN\user" and "user@domain" carry a domain, anything else
// has none.
func userParts(full string) (user, domain string) {
	if i := strings.IndexByte(full, '\\'); i >= 0 {
		return full[i+1:], full[:i]
	}
	if i := strings.LastIndexByte(full, '@'); i >= 0 {
		return full[:i], full[i+1:]
	}
	return full, ""
}

// expandPlaceholders replaces %u (user), %d (domain), %f (full login name)
// and %% (a literal %) in a sandbox root template. It works one path
// component at a time: a component that contains a placeholder must expand to
// a usable file name (not empty, ".", "..", and without '/' or NUL), so that
// no login name can move a root somewhere else (for example the user ".."
// with "/storage/%u"). An unknown placeholder, a trailing '%' or a placeholder
// whose value is empty is an error.
func expandPlaceholders(tmpl, login string) (string, error) {
	if !strings.Contains(tmpl, "%") {
		return tmpl, nil
	}
	user, domain := userParts(login)
	comps := strings.Split(tmpl, "/")
	for i, c := range comps {
		if !strings.Contains(c, "%") {
			continue
		}
		var b strings.Builder
		substituted := false
		for j := 0; j < len(c); j++ {
			if c[j] != '%' {
				b.WriteByte(c[j])
				continue
			}
			if j+1 == len(c) {
				return "", fmt.Errorf("sandbox path %q ends with a lone %%", tmpl)
			}
			j++
			var v, what string
			switch c[j] {
			case '%':
				b.WriteByte('%')
				continue
			case 'u':
				v, what = user, "user name"
			case 'd':
				v, what = domain, "domain"
			case 'f':
				v, what = login, "full user name"
			default:
				return "", fmt.Errorf("sandbox path %q: unknown placeholder %%%c (known: %%u %%d %%f %%%%)", tmpl, c[j])
			}
			if v == "" {
				return "", fmt.Errorf("sandbox path %q uses %%%c but the %s of user %q is empty", tmpl, c[j], what, login)
			}
			b.WriteString(v)
			substituted = true
		}
		out := b.String()
		if substituted && (out == "" || out == "." || out == ".." || strings.ContainsAny(out, "/\x00")) {
			return "", fmt.Errorf("sandbox path %q: user %q expands to the unusable path component %q", tmpl, login, out)
		}
		comps[i] = out
	}
	return strings.Join(comps, "/"), nil
}
