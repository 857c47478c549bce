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
	Ticket *client.Pending
}

// StartUploadTicket sends the recv.createTicket that Upload needs for
// totalSize bytes without waiting for the answer, so it shares a round trip
// with the requests sent just before it. Pass it as UploadOptions.Ticket.
func StartUploadTicket(o UploadOptions, totalSize int64) *client.Pending {
	flags := api.TransferFlagsDefault
	if o.NoWrite {
		flags = api.TransferFlagRead
	}
	return o.Client.Start("recv.createTicket", map[string]any{
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

func (o *Options) remote(ctx context.Context, tk api.Ticket) (*net.UDPAddr, error) {
	port := tk.RecvPort
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
	var total int64
	for _, f := range files {
		total += f.Size
	}
	pol, err := pacer.ParsePolicy(orFair(o.Policy))
	if err != nil {
		return engine.Stats{}, err
	}
	pending := o.Ticket
	if pending == nil {
		pending = StartUploadTicket(o, total)
	}
	var tk api.Ticket
	err = pending.Wait(ctx, &tk)
	if err != nil && o.Ticket != nil && api.CodeOf(err) == api.CodeAuthRequired {
		// A daemon that does not run a login before the requests pipelined
		// behind it: ask again, now that the login is done.
		err = StartUploadTicket(o, total).Wait(ctx, &tk)
	}
	if err != nil {
		return engine.Stats{}, err
	}
	src := engine.NewDiskSource(files)
	if o.WrapSource != nil {
		src = o.WrapSource(src)
	}
	side := engine.Side{Source: src, Observer: o.Observer,
		Send: engine.SendOptions{MaxRate: o.MaxRate * 125, MinRate: o.MinRate * 125, Policy: pol}}
	return o.run(ctx, tk, side)
}

// Download asks the remote daemon to send mappings (remote src → target
// path) and lands them through sink.
func Download(ctx context.Context, o Options, mappings map[string]string, sink engine.Sink) (engine.Stats, error) {
	var tk api.Ticket
	err := o.Client.Call(ctx, "send.createTicket", map[string]any{
		"fileMappings": mappings, "minCipher": o.cipher(), "transferKey": o.TransferKey,
		"sendRateMax": o.MaxRate, "minRate": o.MinRate, "policy": orFair(o.Policy),
	}, &tk)
	if err != nil {
		return engine.Stats{}, err
	}
	return o.run(ctx, tk, engine.Side{Sink: sink, Observer: o.Observer})
}

func (o *Options) run(ctx context.Context, tk api.Ticket, side engine.Side) (engine.Stats, error) {
	if err := engine.CheckProtocol(tk.Protocol); err != nil {
		return engine.Stats{}, err
	}
	ep, done, err := o.endpoint()
	if err != nil {
		return engine.Stats{}, err
	}
	defer done()
	raddr, err := o.remote(ctx, tk)
	if err != nil {
		return engine.Stats{}, err
	}
	sess, err := ep.Connect(ctx, raddr, engine.Ticket{Conv: tk.Conv, Cipher: engine.Cipher(tk.Cipher), Key: tk.Key, TransferKey: tk.TransferKey}, side)
	if err != nil {
		return engine.Stats{}, err
	}
	every := o.ProgressEvery
	if every <= 0 {
		every = 500 * time.Millisecond
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-sess.Done():
			st := sess.Stats()
			if o.Progress != nil {
				o.Progress(st)
			}
			return st, sess.Err()
		case <-tick.C:
			if o.Progress != nil {
				o.Progress(sess.Stats())
			}
		case <-ctx.Done():
			sess.Close(ctx.Err())
			<-sess.Done()
			return sess.Stats(), ctx.Err()
		}
	}
}

func orFair(p string) string {
	if p == "" {
		return api.PolicyFair
	}
	return p
}
