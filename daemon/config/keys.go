package config

import "time"

// rootDefaults are the defaults of a system service; Key.Default and the
// template show them.
var rootDefaults = defaults(rootEnv)

// Template sections.
const (
	secAPI       = "API"
	secEngine    = "Data engine"
	secBandwidth = "Bandwidth"
	secAccess    = "Storage and access"
	secTriggers  = "Triggers"
	secLifetime  = "Lifetime"
	secLogging   = "Logging"
)

// specs is the table of every server key, in template order.
var specs = []spec{
	field(secAPI, "api-port", intCodec, func(s *Server) *int { return &s.APIPort }, checkPort,
		"TCP port of the JSON API (TLS); 0 picks a free port."),
	field(secAPI, "api-host", stringCodec, func(s *Server) *string { return &s.APIHost }, checkBindHost,
		`Address or host name the API listens on; "" = all interfaces.`),
	field(secAPI, "api-allow-remote-control", boolCodec, func(s *Server) *bool { return &s.APIAllowRemoteControl }, noCheck[bool],
		"Accept API clients from other hosts; false = loopback clients only."),
	field(secAPI, "max-connections", intCodec, func(s *Server) *int { return &s.MaxConnections }, intRange(1, 1_000_000, ""),
		"Most API connections open at once; more are refused."),
	field(secAPI, "max-line-bytes", intCodec, func(s *Server) *int { return &s.MaxLineBytes }, intRange(4096, 1<<30, ""),
		"Largest API request or response line, in bytes."),
	field(secAPI, "request-result-ttl", durationCodec, func(s *Server) *time.Duration { return &s.RequestResultTTL },
		durationRange(time.Second, 30*24*time.Hour, ""),
		"How long results of *Async requests stay available."),

	field(secEngine, "recv-port", intCodec, func(s *Server) *int { return &s.RecvPort }, checkPort,
		"UDP port transfers are received on; 0 picks a free port."),
	field(secEngine, "external-address", stringCodec, func(s *Server) *string { return &s.ExternalAddress }, checkExternalAddress,
		`Public host or host:port reported to peers behind NAT; "" = none.`),
	field(secEngine, "socket-buffer-bytes", intCodec, func(s *Server) *int { return &s.SocketBufferBytes },
		intRange(4096, 1<<30, "the OS default"),
		"UDP socket buffer size to request, in bytes; 0 = the OS default."),
	field(secEngine, "max-payload", intCodec, func(s *Server) *int { return &s.MaxPayload }, intRange(512, 65507, ""),
		"Largest UDP payload sent, in bytes; lower it for tunnels with a small MTU."),
	field(secEngine, "checkpoint-frequency-seconds", intCodec, func(s *Server) *int { return &s.CheckpointFrequencySeconds },
		intRange(1, 86400, "no checkpoints"),
		"Default seconds between receiver checkpoints (fsync + save point); 0 = off."),

	field(secBandwidth, "incoming-rate-limit", rateCodec, func(s *Server) *float64 { return &s.IncomingRateLimit }, checkRateLimit,
		`Server-wide incoming cap in kbit/s, or a rate such as "500M"; 0 = none.`),
	field(secBandwidth, "outgoing-rate-limit", rateCodec, func(s *Server) *float64 { return &s.OutgoingRateLimit }, checkRateLimit,
		`Server-wide outgoing cap in kbit/s, or a rate such as "500M"; 0 = none.`),
	field(secBandwidth, "borrow-incoming-rate", boolCodec, func(s *Server) *bool { return &s.BorrowIncomingRate }, noCheck[bool],
		"Outgoing transfers may borrow unused incoming allowance."),
	field(secBandwidth, "borrow-outgoing-rate", boolCodec, func(s *Server) *bool { return &s.BorrowOutgoingRate }, noCheck[bool],
		"Incoming transfers may borrow unused outgoing allowance."),

	field(secAccess, "persistent-state-dir", stringCodec, func(s *Server) *string { return &s.PersistentStateDir }, checkPath(""),
		"Persistent state directory; non-root default: $XDG_STATE_HOME/jetstream."),
	field(secAccess, "sandbox-dir", stringCodec, func(s *Server) *string { return &s.SandboxDir }, checkSandbox,
		`Root all received paths are confined to, %u = user name; "" = not sandboxed.`),
	field(secAccess, "superuser", listCodec, func(s *Server) *[]string { return &s.Superuser }, checkAccountNames,
		"Users who may call superuser(), besides the account running the server."),
	field(secAccess, "supergroup", listCodec, func(s *Server) *[]string { return &s.Supergroup }, checkAccountNames,
		"Groups whose members may call superuser()."),

	field(secTriggers, "trigger-dir", stringCodec, func(s *Server) *string { return &s.TriggerDir }, checkPath(""),
		"Directory of trigger executables; non-root default: <state dir>/triggers."),
	field(secTriggers, "trigger-log", stringCodec, func(s *Server) *string { return &s.TriggerLog }, checkPath("off"),
		`File that records which triggers ran and their output; "" = off.`),
	field(secTriggers, "trigger-on-api", boolCodec, func(s *Server) *bool { return &s.TriggerOnAPI }, noCheck[bool],
		"Run the on.<command> trigger after every API command."),
	field(secTriggers, "trigger-timeout", durationCodec, func(s *Server) *time.Duration { return &s.TriggerTimeout },
		durationRange(time.Second, 7*24*time.Hour, "no limit"),
		"Kill triggers that run longer than this (they run one at a time); 0 = none."),

	field(secLifetime, "gc-interval-seconds", intCodec, func(s *Server) *int { return &s.GCIntervalSeconds },
		intRange(1, 315_360_000, ""),
		"Seconds between garbage collections."),
	field(secLifetime, "gc-time-limit-seconds", intCodec, func(s *Server) *int { return &s.GCTimeLimitSeconds },
		intRange(1, 315_360_000, ""),
		"Seconds finished or unused items are kept before GC removes them."),

	field(secLogging, "log", stringCodec, func(s *Server) *string { return &s.Log }, checkPath("standard error"),
		`Log file (trigger output never goes there); "" = standard error.`),
	field(secLogging, "log-level", stringCodec, func(s *Server) *string { return &s.LogLevel }, checkLogLevel,
		"Least severe level logged: debug, info, warn or error."),
	field(secLogging, "disable-telemetry", boolCodec, func(s *Server) *bool { return &s.DisableTelemetry }, noCheck[bool],
		"Accepted for compatibility; this server never sends telemetry."),
}
