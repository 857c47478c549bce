package auth

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// PAM service file contents, by distribution family.
const (
	pamDebian = `# PAM configuration of the JetStream server (jetstream server).
# Created by jetstream because it was missing; edit freely, it is never overwritten.
@include common-auth
@include common-account
`
	pamRedHat = `# PAM configuration of the JetStream server (jetstream server).
# Created by jetstream because it was missing; edit freely, it is never overwritten.
auth       include      system-auth
account    include      system-auth
`
)

// ensurePAMService creates dir/service when it is missing, including the
// distribution's common stack (Debian's common-auth/common-account or Red
// Hat's system-auth). It reports what it did for the log; an existing file
// is left alone.
func ensurePAMService(dir, service string) (string, error) {
	path := filepath.Join(dir, service)
	if _, err := os.Lstat(path); err == nil {
		return "PAM service " + path + " exists", nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("auth: PAM service file: %w", err)
	}
	var content, family string
	switch {
	case exists(filepath.Join(dir, "common-auth")):
		content, family = pamDebian, "Debian common-auth/common-account"
	case exists(filepath.Join(dir, "system-auth")):
		content, family = pamRedHat, "Red Hat system-auth"
	default:
		return "", fmt.Errorf("auth: %s is missing and %s has neither common-auth nor system-auth to include: create it by hand (until then PAM uses %s)",
			path, dir, filepath.Join(dir, "other"))
	}
	tmp, err := os.CreateTemp(dir, "."+service+".tmp*")
	if err != nil {
		return "", fmt.Errorf("auth: create %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		return "", fmt.Errorf("auth: write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return "", fmt.Errorf("auth: chmod %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", fmt.Errorf("auth: write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("auth: write %s: %w", path, err)
	}
	// Link rather than rename: never replace a file that appeared meanwhile.
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return "PAM service " + path + " exists", nil
		}
		return "", fmt.Errorf("auth: create %s: %w", path, err)
	}
	return "created PAM service " + path + " (" + family + ")", nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
