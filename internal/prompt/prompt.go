// Package prompt asks for secrets on the controlling terminal.
package prompt

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/term"
)

// Password asks for a password on /dev/tty without echo. It refuses when
// there is no terminal, naming the environment variable to use instead.
func Password(prompt string) (string, error) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return "", errors.New("no terminal to ask for the password: set JETSTREAM_API_PASSWORD")
	}
	defer tty.Close()
	fmt.Fprint(tty, prompt)
	b, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprintln(tty)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	return string(b), nil
}
