package daemon_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/daemon/daemontest"
)

func TestCertificatePinning(t *testing.T) {
	d := daemontest.Start(t)
	var pinned []string
	dial := func() (*client.Client, error) {
		return client.Dial(context.Background(), client.Options{Host: "127.0.0.1", Port: d.Port, KnownHosts: d.KnownHosts,
			OnPin: func(addr, fp, file string) { pinned = append(pinned, fp) }})
	}
	c, err := dial()
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if len(pinned) != 1 {
		t.Fatalf("first connection must pin once, pinned %v", pinned)
	}
	if c, err = dial(); err != nil {
		t.Fatalf("second connection: %v", err)
	}
	c.Close()
	if len(pinned) != 1 {
		t.Fatal("second connection pinned again")
	}
	// A new certificate (state dir's key pair replaced) is refused with a message saying how to accept it.
	d.Stop()
	os.Remove(filepath.Join(d.Cfg.PersistentStateDir, "api-cert.pem"))
	os.Remove(filepath.Join(d.Cfg.PersistentStateDir, "api-key.pem"))
	d.Restart()
	_, err = dial()
	var cc *client.CertChangedError
	if !errors.As(err, &cc) || !strings.Contains(err.Error(), d.KnownHosts) || !strings.Contains(err.Error(), "delete the line") {
		t.Fatalf("want CertChangedError naming the pin file, got %v", err)
	}
}
