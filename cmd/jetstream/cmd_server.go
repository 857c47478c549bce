package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/alecthomas/kong"

	"github.com/jetstream-go/jetstream/daemon"
	"github.com/jetstream-go/jetstream/daemon/config"
)

// serverCmd runs the daemon. Every flag is also a key of the TOML file and a
// JETSTREAM_* environment variable; precedence is defaults < file < env <
// flags. Flags left out keep the value from the file, env or default.
type serverCmd struct {
	Config string `help:"TOML configuration file (default ${config_file} when it exists)." type:"path" placeholder:"FILE"`

	APIPort               int           `name:"api-port" help:"TCP port of the API (default 8886; 0 picks a free port)." placeholder:"PORT"`
	APIHost               string        `name:"api-host" help:"Address the API listens on (default: all interfaces)." placeholder:"HOST"`
	APIAllowRemoteControl bool          `name:"api-allow-remote-control" negatable:"" help:"Accept API clients from other hosts (default true); --no-api-allow-remote-control accepts loopback clients only."`
	RecvPort              int           `name:"recv-port" help:"UDP port for transfer data (default 8886; 0 picks a free port)." placeholder:"PORT"`
	PersistentStateDir    string        `name:"persistent-state-dir" help:"State directory (default /var/lib/jetstream/state as root, else the XDG state dir)." placeholder:"DIR"`
	SandboxDir            string        `name:"sandbox-dir" help:"Confine every user below DIR; %u expands to the user name." placeholder:"DIR"`
	TriggerDir            string        `name:"trigger-dir" help:"Directory of trigger executables, named after their events (default /var/lib/jetstream/triggers as root, else the triggers dir in the XDG state dir)." placeholder:"DIR"`
	TriggerLog            string        `name:"trigger-log" help:"Log which triggers run, and their output, to FILE (default: triggers are silent)." placeholder:"FILE"`
	TriggerOnAPI          bool          `name:"trigger-on-api" help:"Run on.<command> triggers after every API command."`
	TriggerTimeout        time.Duration `name:"trigger-timeout" help:"Kill a trigger that runs longer than this (default: never)." placeholder:"DURATION"`
	Superuser             []string      `name:"superuser" help:"Users eligible for superuser (comma-separated, repeatable)." placeholder:"USER"`
	Supergroup            []string      `name:"supergroup" help:"Groups whose members are eligible for superuser." placeholder:"GROUP"`
	IncomingRateLimit     string        `name:"incoming-rate-limit" help:"Server-wide incoming cap in kbit/s (or with K/M/G suffix in bit/s); locked until restart." placeholder:"RATE"`
	OutgoingRateLimit     string        `name:"outgoing-rate-limit" help:"Server-wide outgoing cap; locked until restart." placeholder:"RATE"`
	BorrowIncomingRate    bool          `name:"borrow-incoming-rate" help:"Let outgoing transfers borrow unused incoming bandwidth."`
	BorrowOutgoingRate    bool          `name:"borrow-outgoing-rate" help:"Let incoming transfers borrow unused outgoing bandwidth."`
	ExternalAddress       string        `name:"external-address" help:"Address peers should use to reach this server (behind NAT)." placeholder:"HOST[:PORT]"`
	Log                   string        `name:"log" help:"Write the server log to FILE (default standard error)." placeholder:"FILE"`
	LogLevel              string        `name:"log-level" help:"debug, info, warn or error (default info)." placeholder:"LEVEL"`
	DisableTelemetry      bool          `name:"disable-telemetry" help:"Accepted for compatibility: this server never sends telemetry."`
}

// flagToKey lists the flags that map to configuration keys (all but --config).
func (c *serverCmd) settings(kctx *kong.Context) (config.Server, error) {
	cfg := config.Default()
	path, explicit := c.Config, c.Config != ""
	if !explicit {
		if _, err := os.Stat(config.DefaultConfigFile); err == nil {
			path = config.DefaultConfigFile
		}
	}
	if path != "" {
		f, err := config.LoadFile(path)
		if err != nil {
			return cfg, err
		}
		if err := f.Apply(&cfg); err != nil {
			return cfg, err
		}
	}
	if err := config.ApplyEnv(&cfg, os.Environ()); err != nil {
		return cfg, err
	}
	if kctx != nil {
		for _, fl := range kctx.Flags() {
			if !fl.Set || fl.Name == "config" || fl.Name == "help" {
				continue
			}
			if err := cfg.Set(fl.Name, flagString(kctx.FlagValue(fl))); err != nil {
				return cfg, fmt.Errorf("--%s: %w", fl.Name, err)
			}
		}
	}
	return cfg, cfg.Validate()
}

func flagString(v any) string {
	switch x := v.(type) {
	case []string:
		return strings.Join(x, ",")
	case time.Duration:
		return x.String()
	default:
		return fmt.Sprint(x)
	}
}

func (c *serverCmd) Run(env *runEnv) error {
	cfg, err := c.settings(env.kctx)
	if err != nil {
		return withCode(exitUsage, err)
	}
	logger, closeLog, err := openLog(cfg, env.Stderr)
	if err != nil {
		return withCode(exitUsage, err)
	}
	defer closeLog()
	v, commit, _ := buildInfo()
	srv, err := daemon.New(daemon.Options{Config: cfg, Logger: logger, Version: v, Revision: commit})
	if err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err = <-errc:
		srv.Close()
		if errors.Is(err, daemon.ErrServerClosed) {
			return nil
		}
		return err
	case <-env.Ctx.Done():
		logger.Info("signal received, shutting down")
	case <-srv.Terminated():
		logger.Info("terminate called, shutting down")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	<-errc
	return nil
}

func openLog(cfg config.Server, stderr io.Writer) (*slog.Logger, func(), error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		return nil, nil, fmt.Errorf("--log-level: %w", err)
	}
	w, closer := stderr, func() {}
	if cfg.Log != "" {
		f, err := os.OpenFile(cfg.Log, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
		if err != nil {
			return nil, nil, fmt.Errorf("--log: %w", err)
		}
		w, closer = f, func() { f.Close() }
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: lvl})), closer, nil
}
