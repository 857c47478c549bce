package engine

import (
	"fmt"
	"io/fs"
	"time"

	"github.com/jetstream-go/jetstream/net/pacer"
	"github.com/jetstream-go/jetstream/net/wire"
)

// Cipher is a session's protection level (the product's minCipher values).
type Cipher int

// Cipher levels.
const (
	CipherNone    Cipher = 0 // CRC-32C only: for tests and benchmarks, no protection
	CipherAuth    Cipher = 1 // authenticated, not encrypted (AES-GCM tag over the packet)
	CipherAES128  Cipher = 2 // AES-128-GCM
	CipherAES256  Cipher = 3 // AES-256-GCM
	maxCipherCode        = CipherAES256
)

// String returns the level's name.
func (c Cipher) String() string {
	switch c {
	case CipherNone:
		return "none"
	case CipherAuth:
		return "auth"
	case CipherAES128:
		return "aes128"
	case CipherAES256:
		return "aes256"
	}
	return fmt.Sprintf("cipher(%d)", int(c))
}

// Ticket is what both ends obtain over the TLS API before a session starts.
type Ticket struct {
	Conv   uint32
	Cipher Cipher
	Key    []byte // 32 bytes (16 are enough below CipherAES256); may be empty for CipherNone
	// TransferKey is a stable id across reconnects: the receiver keys checkpoints by it.
	TransferKey string
}

func (t Ticket) validate() error {
	if t.Conv == 0 {
		return errorf(CodeProtocol, "ticket conv id 0 is reserved")
	}
	switch {
	case t.Cipher < CipherNone || t.Cipher > maxCipherCode:
		return errorf(CodeProtocol, "ticket cipher %d is unknown", int(t.Cipher))
	case t.Cipher == CipherAES256 && len(t.Key) < 32:
		return errorf(CodeAuth, "ticket key is %d bytes, aes256 needs 32", len(t.Key))
	case t.Cipher != CipherNone && len(t.Key) < 16:
		return errorf(CodeAuth, "ticket key is %d bytes, %v needs at least 16", len(t.Key), t.Cipher)
	case t.TransferKey == "":
		return errorf(CodeProtocol, "ticket has no transfer key")
	}
	return nil
}

// Config configures an Endpoint. The zero value is usable.
type Config struct {
	// MaxPacket fixes the largest datagram this endpoint sends or receives
	// (wire.MinPacket..wire.MaxDatagram). 0, the default, chooses it per
	// session from the path: the MTU of the route to the peer less the IP
	// and UDP headers (1472 on a 1500-byte link, 65507 on loopback), the
	// smaller of the two sides' values; DefaultMaxPacket when the route
	// cannot be probed. The environment variable JETSTREAM_MAX_PACKET sets
	// a fixed size when MaxPacket is 0.
	MaxPacket int
	// SocketBuffer is the SO_RCVBUF/SO_SNDBUF size requested by Listen (default 8 MiB).
	SocketBuffer int
	// IdleTimeout fails a session with peer_timeout when nothing authentic arrives for
	// this long (default 90 s, so a one-minute outage is survived).
	IdleTimeout time.Duration
	// HelloInterval is the retry interval of Connect's hello (default 250 ms).
	HelloInterval time.Duration
	// QueueLen is the per-session inbound packet queue (default: 64 MiB worth of
	// datagrams, 1024..8192).
	QueueLen int
	// Logf receives warnings (socket buffers capped, ...). Nil discards them.
	Logf func(format string, args ...any)
	// NoBatch disables sendmmsg/recvmmsg (also env JETSTREAM_NO_BATCH=1).
	NoBatch bool

	autoPacket bool // MaxPacket was 0: choose per session from the path
}

func (c Config) withDefaults() Config {
	if c.Logf == nil {
		c.Logf = func(string, ...any) {}
	}
	if c.MaxPacket == 0 && !c.autoPacket {
		c.MaxPacket = maxPacketFromEnv(c.Logf)
	}
	queuePkt := c.MaxPacket
	if c.MaxPacket == 0 || c.autoPacket {
		// Receive anything up to the largest datagram; sessions pick their size.
		c.autoPacket, c.MaxPacket, queuePkt = true, wire.MaxDatagram, DefaultMaxPacket
	}
	c.MaxPacket = min(max(c.MaxPacket, wire.MinPacket), wire.MaxDatagram)
	if c.SocketBuffer == 0 {
		c.SocketBuffer = 8 << 20
	}
	if c.IdleTimeout == 0 {
		c.IdleTimeout = 90 * time.Second
	}
	if c.HelloInterval == 0 {
		c.HelloInterval = 250 * time.Millisecond
	}
	if c.QueueLen == 0 { // about 64 MiB of datagrams
		c.QueueLen = min(max((64<<20)/queuePkt, 1024), 8192)
	}
	if c.Logf == nil {
		c.Logf = func(string, ...any) {}
	}
	return c
}

// Side describes this end of a session: exactly one of Source and Sink is set.
type Side struct {
	Source   Source
	Sink     Sink
	Send     SendOptions
	Recv     RecvOptions
	Observer Observer // may be nil
}

func (s Side) role() (wire.Role, error) {
	switch {
	case s.Source != nil && s.Sink == nil:
		return wire.RoleSource, nil
	case s.Sink != nil && s.Source == nil:
		return wire.RoleSink, nil
	}
	return 0, errorf(CodeProtocol, "side needs exactly one of Source and Sink")
}

// SendOptions tunes the sending side.
type SendOptions struct {
	MinRate, MaxRate float64      // bytes/s; MaxRate 0 = no cap (the controller probes)
	InitialRate      float64      // bytes/s; 0 = controller default
	Policy           pacer.Policy // fair (default), fixed, low
	// Controller replaces the built-in pacer.Controller (tests, server-wide limiters).
	Controller RateController
	// BlockSize is the bytes per block; 0 = as large as the path's datagram allows.
	BlockSize int
	// NoRead sends zeros instead of reading files (transfer flag: no disk reads).
	NoRead bool
	// ReadAhead is how many blocks the reader prepares ahead (default: about
	// 4 MiB of datagram buffers, 256 to 4096 blocks).
	ReadAhead int
}

// RecvOptions tunes the receiving side.
type RecvOptions struct {
	AckInterval time.Duration // longest delay before received data is acked (default 10 ms)
	AckPackets  int           // ack at least every this many data packets (default 64)
}

// FileResult is the outcome of one file, reported to the Observer on both sides.
type FileResult struct {
	Index    int
	Path     string // target path
	HostPath string // where the sink wrote it ("" on the sending side or on failure)
	Size     int64
	Hash     []byte // SHA-256 of the chunk digests; nil when unverified or failed
	Err      error  // nil = success; an *Error otherwise
}

// Observer receives per-file outcomes. Calls come from the session goroutine: keep them short.
type Observer interface {
	FileDone(FileResult)
}

// FileMeta describes one file as the engine sees it.
type FileMeta struct {
	Index    int
	Path     string // target path, '/'-separated
	Size     int64
	Mode     fs.FileMode
	Mtime    time.Time
	EmptyDir bool
}
