//go:build linux && cgo

package auth

import (
	"fmt"

	"github.com/msteinert/pam/v2"
)

// pamBuiltIn tells whether this binary can authenticate system accounts.
const pamBuiltIn = true

// pamAuthenticate runs one PAM transaction (authenticate, then account
// checks) for user with password and returns the user name PAM settled on.
// Null passwords are refused (PAM_DISALLOW_NULL_AUTHTOK), so password-less
// accounts cannot log in even where the stack says nullok.
func pamAuthenticate(service, user, password, rhost string) (string, error) {
	t, err := pam.StartFunc(service, user, func(s pam.Style, msg string) (string, error) {
		switch s {
		case pam.PromptEchoOff:
			return password, nil
		case pam.PromptEchoOn:
			return user, nil
		case pam.ErrorMsg, pam.TextInfo:
			return "", nil
		}
		return "", fmt.Errorf("unsupported PAM conversation style %d", s)
	})
	if err != nil {
		return "", fmt.Errorf("PAM start %s: %w", service, err)
	}
	defer t.End()
	if rhost != "" {
		if err := t.SetItem(pam.Rhost, rhost); err != nil {
			return "", fmt.Errorf("PAM set rhost: %w", err)
		}
	}
	if err := t.Authenticate(pam.DisallowNullAuthtok); err != nil {
		return "", fmt.Errorf("PAM authenticate: %w", err)
	}
	if err := t.AcctMgmt(pam.DisallowNullAuthtok); err != nil {
		return "", fmt.Errorf("PAM account: %w", err)
	}
	name, err := t.GetItem(pam.User)
	if err != nil || name == "" {
		name = user
	}
	return name, nil
}
