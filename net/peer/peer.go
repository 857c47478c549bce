// Package peer makes a client process a transfer endpoint: it obtains a
// ticket from a daemon over the API (daemon/client) and runs the UDP engine
// over local files. jscp and the TUI use it for direct uploads and downloads.
package peer

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/net/engine"
	"github.com/jetstream-go/jetstream/net/pacer"
)

// Options are shared by Upload and Download.
type Options struct {
	// Client is a logged-in API connection to the remote daemon.
	Client *client.Client
	// Host is the remote daemon's address for UDP (its API host).
	Host string
	// RecvPort overrides the UDP port learnt from the ticket.
	RecvPort int
	// Cipher is the minimum cipher level 1-3 (api.CipherAuthOnly ...); 0 means
	// the default, AES-128-GCM, and CipherNone asks for no protection.
	Cipher int
	// MaxRate and MinRate are kbit/s (0 = unlimited / none).
	MaxRate, MinRate float64
	Policy           string
	// TransferKey identifies the transfer across re-runs so they resume.
	TransferKey string
	// Progress, when set, is called about every ProgressEvery with live stats.
	Progress      func(engine.Stats)
	ProgressEvery time.Duration
	// Observer receives per-file outcomes.
	Observer engine.Observer
	// Endpoint is the local UDP endpoint (default: a new one on an ephemeral port).
	Endpoint *engine.Endpoint
	// MaxPacket is the datagram size (default engine's).
	MaxPacket int
}

// UploadOptions add the receiving side's landing rules.
type UploadOptions struct {
	Options
	DestinationPath string
	Overwrite       int
	NoWrite         bool
	// WrapSource, when set, wraps the disk source of the files (to observe
	// opens, for example).
	WrapSource func(engine.Source) engine.Source
	// Ticket, when set, is a recv.createTicket already sent with
	// StartUploadTicket (pipelined behind the login); Upload waits for it
	// instead of asking again.
	Ticket *PendingTicket
}

// PendingTicket is a createTicket request sent without waiting for its
// answer. It proposes the session's conversation id and key (ticket.go),
// so the session can say hello before the daemon answers.
type PendingTicket struct {
	pending *client.Pending
	again   func() *client.Pending // the same request, sent again
	want    engine.Ticket          // the proposed ticket
}

// StartUploadTicket sends the recv.createTicket that Upload needs for
// totalSize bytes without waiting for the answer, so it shares a round trip
// with the requests sent just before it. Pass it as UploadOptions.Ticket.
func StartUploadTicket(o UploadOptions, totalSize int64) *PendingTicket {
	flags := api.TransferFlagsDefault
	if o.NoWrite {
		flags = api.TransferFlagRead
	}
	return o.startTicket("recv.createTicket", map[string]any{
		"transferKey": o.TransferKey, "destinationPath": o.DestinationPath, "overwrite": o.Overwrite,
		"minCipher": o.cipher(), "totalSize": totalSize, "transferFlags": flags,
	})
}

func (o *Options) endpoint() (*engine.Endpoint, func(), error) {
	if o.Endpoint != nil {
		return o.Endpoint, func() {}, nil
	}
	ep, err := engine.Listen(":0", engine.Config{MaxPacket: o.MaxPacket})
	if err != nil {
		return nil, nil, fmt.Errorf("open a local UDP port: %w", err)
	}
	return ep, func() { ep.Close() }, nil
}

// remote is the daemon's UDP address: o.Host at port (RecvPort overrides).
func (o *Options) remote(ctx context.Context, port int) (*net.UDPAddr, error) {
	if o.RecvPort != 0 {
		port = o.RecvPort
	}
	ips, err := net.DefaultResolver.LookupIP(ctx, "ip4", o.Host)
	if err != nil || len(ips) == 0 {
		return nil, fmt.Errorf("resolve %s: %v", o.Host, err)
	}
	return &net.UDPAddr{IP: ips[0], Port: port}, nil
}

// CipherNone in Options.Cipher asks for unprotected datagrams (level 0).
const CipherNone = -1

func (o *Options) cipher() int {
	switch o.Cipher {
	case 0:
		return api.CipherAES128
	case CipherNone:
		return api.CipherNone
	}
	return o.Cipher
}

// Upload sends files to the remote daemon, where they land per its sandbox,
// dest.DestinationPath and each file's TargetPath.
func Upload(ctx context.Context, o UploadOptions, files []engine.SourceFile) (engine.Stats, error) {
	return StartUpload(o, files).Wait(ctx)
}

// StartUpload asks for the ticket (unless o.Ticket was sent already) and
// says hello to the daemon without waiting for either: called right behind
// a pipelined login, the handshake overlaps the login. Wait runs the
// transfer; Close abandons it.
func StartUpload(o UploadOptions, files []engine.SourceFile) *Transfer {
	var total int64
	for _, f := range files {
		total += f.Size
	}
	pol, err := pacer.ParsePolicy(orFair(o.Policy))
	if err != nil {
		return &Transfer{err: err}
	}
	tk := o.Ticket
	if tk == nil {
		tk = StartUploadTicket(o, total)
	}
	return o.start(tk, func() engine.Side {
		src := engine.NewDiskSource(files)
		if o.WrapSource != nil {
			src = o.WrapSource(src)
		}
		return engine.Side{Source: src, Observer: o.Observer,
			Send: engine.SendOptions{MaxRate: o.MaxRate * 125, MinRate: o.MinRate * 125, Policy: pol}}
	})
}

// Download asks the remote daemon to send mappings (remote src → target
// path) and lands them through sink.
func Download(ctx context.Context, o Options, mappings map[string]string, sink engine.Sink) (engine.Stats, error) {
	return StartDownload(o, mappings, sink).Wait(ctx)
}

// StartDownload is StartUpload's counterpart: it asks for the ticket and
// says hello without waiting for either.
func StartDownload(o Options, mappings map[string]string, sink engine.Sink) *Transfer {
	tk := o.startTicket("send.createTicket", map[string]any{
		"fileMappings": mappings, "minCipher": o.cipher(), "transferKey": o.TransferKey,
		"sendRateMax": o.MaxRate, "minRate": o.MinRate, "policy": orFair(o.Policy),
	})
	return o.start(tk, func() engine.Side { return engine.Side{Sink: sink, Observer: o.Observer} })
}

func orFair(p string) string {
	if p == "" {
		return api.PolicyFair
	}
	return p
}
