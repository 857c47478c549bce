package config

import "time"

// Server is the daemon's configuration. Field names map 1:1 to flags and TOML
// keys (kebab-case, see the toml tags) and to JETSTREAM_* environment
// variables. [Keys] documents every field.
type Server struct {
	// API (TCP, TLS, one JSON object per line).
	APIPort               int           `toml:"api-port"`
	APIHost               string        `toml:"api-host"`                 // "" = all interfaces
	APIAllowRemoteControl bool          `toml:"api-allow-remote-control"` // false = loopback clients only
	MaxConnections        int           `toml:"max-connections"`
	MaxLineBytes          int           `toml:"max-line-bytes"`
	RequestResultTTL      time.Duration `toml:"request-result-ttl"`

	// Data engine (UDP).
	RecvPort                   int    `toml:"recv-port"`
	ExternalAddress            string `toml:"external-address"` // host or host:port reported to peers
	SocketBufferBytes          int    `toml:"socket-buffer-bytes"`
	MaxPayload                 int    `toml:"max-payload"`
	CheckpointFrequencySeconds int    `toml:"checkpoint-frequency-seconds"`

	// Server-wide bandwidth caps in kbit/s, 0 = none.
	IncomingRateLimit  float64 `toml:"incoming-rate-limit"`
	OutgoingRateLimit  float64 `toml:"outgoing-rate-limit"`
	BorrowIncomingRate bool    `toml:"borrow-incoming-rate"`
	BorrowOutgoingRate bool    `toml:"borrow-outgoing-rate"`

	// Storage and access.
	PersistentStateDir string   `toml:"persistent-state-dir"`
	SandboxDir         string   `toml:"sandbox-dir"` // "" = not sandboxed; %u = user name
	Superuser          []string `toml:"superuser"`
	Supergroup         []string `toml:"supergroup"`

	// Triggers.
	TriggerDir     string        `toml:"trigger-dir"`
	TriggerLog     string        `toml:"trigger-log"` // "" = off
	TriggerOnAPI   bool          `toml:"trigger-on-api"`
	TriggerTimeout time.Duration `toml:"trigger-timeout"` // 0 = none

	// Lifetime.
	GCIntervalSeconds  int `toml:"gc-interval-seconds"`
	GCTimeLimitSeconds int `toml:"gc-time-limit-seconds"`

	// Logging.
	Log              string `toml:"log"` // "" = standard error
	LogLevel         string `toml:"log-level"`
	DisableTelemetry bool   `toml:"disable-telemetry"` // accepted; never sends telemetry
}

// Default returns the built-in defaults for the current user (see
// DefaultStateDir and DefaultTriggerDir for the directories).
func Default() Server { return defaults(currentEnv()) }

// defaults returns the defaults for environment e.
func defaults(e environment) Server {
	return Server{
		APIPort:               8886,
		APIHost:               "",
		APIAllowRemoteControl: true,
		MaxConnections:        256,
		MaxLineBytes:          4 << 20,
		RequestResultTTL:      10 * time.Minute,

		RecvPort:                   8886,
		SocketBufferBytes:          8 << 20,
		MaxPayload:                 1400,
		CheckpointFrequencySeconds: 30,

		PersistentStateDir: e.stateDir(),
		Superuser:          []string{},
		Supergroup:         []string{"sudo", "wheel", "admin"},

		TriggerDir: e.triggerDir(),

		GCIntervalSeconds:  3600,
		GCTimeLimitSeconds: 172800,

		LogLevel: "info",
	}
}
