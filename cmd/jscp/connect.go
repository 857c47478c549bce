package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/user"
	"sort"
	"strings"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/daemon/config"
	"github.com/jetstream-go/jetstream/internal/prompt"
	"github.com/jetstream-go/jetstream/net/peer"
)

// rates converts -l/-m to kbit/s.
func (c *cli) rates() (maxK, minK float64, err error) {
	for _, x := range []struct {
		s   string
		out *float64
		fl  string
	}{{c.Rate, &maxK, "-l"}, {c.MinRate, &minK, "-m"}} {
		if x.s == "" {
			continue
		}
		bps, err := config.ParseRate(x.s)
		if err != nil {
			return 0, 0, fail(exitUsage, "usage", "%s: %v", x.fl, err)
		}
		*x.out = bps / 1000
	}
	if maxK > 0 && minK > maxK {
		return 0, 0, fail(exitUsage, "usage", "-m %s is above -l %s", c.MinRate, c.Rate)
	}
	return maxK, minK, nil
}

// cipherLevel is the API's minimum cipher level for --cipher (default
// aes128).
func (c *cli) cipherLevel() int {
	return map[string]int{"none": api.CipherNone, "auth": api.CipherAuthOnly, "": api.CipherAES128,
		"aes128": api.CipherAES128, "aes256": api.CipherAES256}[c.Cipher]
}

// peerCipher is cipherLevel in net/peer's terms.
func (c *cli) peerCipher() int {
	if c.Cipher == "none" {
		return peer.CipherNone
	}
	return c.cipherLevel()
}

// connect dials and logs in to a remote as its user, with the password
// from JETSTREAM_API_PASSWORD or a prompt.
func (c *cli) connect(ctx context.Context, p *printer, r remoteSpec) (*client.Client, error) {
	name, err := c.userFor(r)
	if err != nil {
		return nil, err
	}
	pass, err := password(name, r.Host, "JETSTREAM_API_PASSWORD")
	if err != nil {
		return nil, err
	}
	return c.connectAs(ctx, p, r, name, pass)
}

// apiPort is the API port for r: from the spec (or its host profile), else
// -P, else the default.
func (c *cli) apiPort(r remoteSpec) int {
	switch {
	case r.Port != 0:
		return r.Port
	case c.Port != 0:
		return c.Port
	}
	return config.DefaultAPIPort
}

// connectAs dials r and logs in.
func (c *cli) connectAs(ctx context.Context, p *printer, r remoteSpec, name, pass string) (*client.Client, error) {
	cl, auth, err := c.dialLogin(ctx, p, r, name, pass)
	if err != nil {
		return nil, err
	}
	if err := finishLogin(ctx, cl, auth, name, r.Host); err != nil {
		return nil, err
	}
	return cl, nil
}

// dialLogin dials r and sends the login without waiting for its answer, so
// the caller can pipeline requests behind it; finishLogin reads the answer.
func (c *cli) dialLogin(ctx context.Context, p *printer, r remoteSpec, name, pass string) (*client.Client, *client.Pending, error) {
	cl, err := client.Dial(ctx, client.Options{Host: r.Host, Port: c.apiPort(r), CAFile: c.CAFile,
		KnownHosts: os.Getenv("JETSTREAM_KNOWN_HOSTS"),
		OnPin: func(addr, fp, file string) {
			p.info("jscp: first connection to %s: pinned its certificate %s in %s", addr, fp, file)
		}})
	if err != nil {
		return nil, nil, wrap(exitConnect, "connect", err)
	}
	return cl, cl.StartAuth(name, pass), nil
}

// finishLogin waits for the login sent by dialLogin; on failure it closes cl.
func finishLogin(ctx context.Context, cl *client.Client, auth *client.Pending, name, host string) error {
	if err := auth.Wait(ctx, nil); err != nil {
		cl.Close()
		if api.CodeOf(err) == api.CodeAuthFailed {
			return wrap(exitAuth, "auth", fmt.Errorf("%s@%s: %w", name, host, err))
		}
		return wrap(exitConnect, "connect", err)
	}
	return nil
}

// transferKey identifies "the same copy" across runs so a re-run resumes.
func (c *cli) transferKey(parts ...string) string {
	if !c.Resume {
		return fmt.Sprintf("jscp-%d-%d", time.Now().UnixNano(), os.Getpid())
	}
	sorted := append([]string(nil), parts...)
	sort.Strings(sorted)
	h := sha256.Sum256([]byte(strings.Join(sorted, "\x00")))
	return "jscp-" + hex.EncodeToString(h[:12])
}

// apiErr maps an API error from a transfer call to an exit code.
func apiErr(err error) error {
	var ce *codeError
	if errors.As(err, &ce) {
		return err
	}
	switch api.CodeOf(err) {
	case api.CodeNotFound, api.CodePermissionDenied, api.CodeOutsideSandbox:
		return wrap(exitNoSource, "source", err)
	case api.CodeAuthFailed, api.CodeAuthRequired:
		return wrap(exitAuth, "auth", err)
	}
	if errors.Is(err, client.ErrClosed) {
		return wrap(exitInterrupted, "interrupted", fmt.Errorf("%w; run the same command again to resume", err))
	}
	return wrap(exitError, "error", err)
}

// userFor is the login name for r: user@ in the spec, else --user, else the
// current user.
func (c *cli) userFor(r remoteSpec) (string, error) {
	if r.User != "" {
		return r.User, nil
	}
	if c.User != "" {
		return c.User, nil
	}
	u, err := user.Current()
	if err != nil {
		return "", fail(exitUsage, "usage", "cannot tell the current user; give user@host or --user")
	}
	return u.Username, nil
}

// password comes from the first non-empty variable of envs, else a no-echo
// prompt.
func password(name, host string, envs ...string) (string, error) {
	for _, e := range envs {
		if pass := os.Getenv(e); pass != "" {
			return pass, nil
		}
	}
	pass, err := prompt.Password(fmt.Sprintf("Password for %s@%s: ", name, host))
	if err != nil {
		return "", wrap(exitAuth, "auth", err)
	}
	return pass, nil
}
