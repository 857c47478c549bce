package daemon

import (
	"context"
	"crypto/rand"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/net/engine"
	"github.com/jetstream-go/jetstream/net/pacer"
)

// kbps converts kbit/s (API) to bytes/s (engine).
func kbps(v float64) float64 { return v * 1000 / 8 }

// sendOptions builds engine options from API rates (kbit/s).
func sendOptions(minKbps, maxKbps float64, policy string, flags int) (engine.SendOptions, error) {
	pol, err := pacer.ParsePolicy(orDefault(policy, api.PolicyFair))
	if err != nil {
		return engine.SendOptions{}, err
	}
	return engine.SendOptions{MinRate: kbps(minKbps), MaxRate: kbps(maxKbps), Policy: pol,
		NoRead: flags&api.TransferFlagRead == 0}, nil
}

func newSessionKey() []byte {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		panic(err)
	}
	return k
}

// runOnce makes one attempt at a send-side transfer to its destination's
// daemon; run (transfer_retry.go) repeats it after transient failures.
func (x *transfers) runOnce(ctx context.Context, j *job, carried api.Transfer) error {
	t, ok := x.xfers.get(j.id)
	if !ok {
		return fmt.Errorf("transfer %s vanished", j.id)
	}
	d, ok := x.dests.get(t.DestinationID)
	if !ok {
		return fmt.Errorf("destination %s was deleted", t.DestinationID)
	}
	m, ok := x.manifests.get(t.ManifestID)
	if !ok {
		return fmt.Errorf("manifest %s was deleted", t.ManifestID)
	}
	for m.Processing {
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-time.After(50 * time.Millisecond):
		}
		m, _ = x.manifests.get(t.ManifestID)
	}
	if m.Status != api.ManifestComplete {
		return fmt.Errorf("manifest %s failed: %s", m.ManifestID, deref(m.ErrorMessage))
	}
	mf, _ := x.files.get(t.ManifestID)
	cl, err := client.Dial(ctx, client.Options{Host: d.DestinationIP, Port: d.DestinationAPIPort,
		KnownHosts: filepath.Join(x.srv.cfg.PersistentStateDir, "known_hosts")})
	if err != nil {
		return err
	}
	defer cl.Close()
	if err := x.loginToReceiver(ctx, cl, d); err != nil { // send_login.go
		return err
	}
	var tk api.Ticket
	err = cl.Call(ctx, "recv.createTicket", map[string]any{
		"transferKey": x.srv.uid + ":" + t.TransferID, "transferId": t.TransferID,
		"destinationPath": t.DestinationPath, "overwrite": t.Overwrite, "minCipher": t.MinCipher,
		"totalSize": t.TotalBytes, "checkpointFrequencySeconds": t.CheckpointFrequencySeconds,
		"transferFlags": t.TransferFlags, "userData": t.UserData,
	}, &tk)
	if err != nil {
		return fmt.Errorf("receiving server refused the transfer: %w", err)
	}
	if err := engine.CheckProtocol(tk.Protocol); err != nil {
		return err
	}
	ips, err := net.DefaultResolver.LookupIP(ctx, "ip4", d.DestinationIP)
	if err != nil || len(ips) == 0 {
		return fmt.Errorf("resolve %s: %v", d.DestinationIP, err)
	}
	// An explicit UDP port in destinationAddress (NAT port forwarding, a
	// relay) wins over the port the receiver reports for itself.
	port := tk.RecvPort
	if _, _, perr := net.SplitHostPort(d.DestinationAddress); perr == nil || port == 0 {
		port = d.DestinationPort
	}
	opts, err := sendOptions(t.MinRate, t.SendRateMax, t.Policy, t.TransferFlags)
	if err != nil {
		return err
	}
	src := engine.NewDiskSource(sourceFiles(mf))
	if mf.ID != nil {
		src = userSource(sourceFiles(mf), *mf.ID)
	}
	log := &fileLog{}
	sess, err := x.srv.data.Connect(ctx, &net.UDPAddr{IP: ips[0], Port: port},
		engine.Ticket{Conv: tk.Conv, Cipher: engine.Cipher(tk.Cipher), Key: tk.Key, TransferKey: tk.TransferKey},
		engine.Side{Source: src, Send: opts, Observer: log})
	if err != nil {
		return err
	}
	x.mu.Lock()
	j.stats = func() api.Transfer { return withCarried(statsToTransfer(sess.Stats()), carried) }
	j.setRate = func(minK, maxK float64, policy string) error {
		pol, err := pacer.ParsePolicy(orDefault(policy, api.PolicyFair))
		if err != nil {
			return err
		}
		return sess.SetRate(kbps(minK), kbps(maxK), pol)
	}
	x.mu.Unlock()
	x.noteRetry(j.id, "") // data flows (again)
	select {
	case <-sess.Done():
		if err := sess.Err(); err != nil {
			return err
		}
		return log.failure(len(mf.Files))
	case <-cl.Done():
		// The receiving daemon's API connection broke: it restarted or its
		// host went away. Stop now and reconnect rather than wait for the
		// data session's idle timeout.
		sess.Close(errReceiverLost)
		<-sess.Done()
		return errReceiverLost
	case <-ctx.Done():
		cause := context.Cause(ctx)
		sess.Close(cause)
		<-sess.Done()
		return cause
	}
}

func sourceFiles(mf manifestFiles) []engine.SourceFile {
	out := make([]engine.SourceFile, len(mf.Files))
	for i, f := range mf.Files {
		out[i] = engine.SourceFile{LocalPath: f.Host, TargetPath: f.DestPath, Size: f.FileSize,
			Mode: fileMode(f.Mode), Mtime: time.Unix(0, f.MtimeNs), EmptyDir: f.IsEmptyDir}
	}
	return out
}

func statsToTransfer(s engine.Stats) api.Transfer {
	return api.Transfer{
		TotalBlocks: s.TotalBlocks, TotalBytes: s.TotalBytes, BlocksSent: s.BlocksSent, BlocksAcked: s.BlocksAcked,
		BlocksRetransmitted: s.BlocksRetransmitted, BytesSent: s.BytesSent, BytesAcked: s.BytesAcked,
		BytesRecv: s.BytesRecv, PacketsSent: s.PacketsSent, PacketsRecv: s.PacketsRecv,
		FilesDone: s.FilesDone, FilesFailed: s.FilesFailed, CurrentRate: s.Rate * 8 / 1000,
		RoundTripTimeMs: float64(s.RTT) / float64(time.Millisecond), CurrentFile: s.CurrentFile,
	}
}

// openDataPort opens the UDP receive port.
func (s *Server) openDataPort() error {
	host := s.cfg.APIHost
	ep, err := engine.Listen(net.JoinHostPort(host, strconv.Itoa(s.cfg.RecvPort)), engine.Config{
		SocketBuffer: s.cfg.SocketBufferBytes,
		Logf:         func(f string, a ...any) { s.log.Warn(fmt.Sprintf(f, a...)) },
	})
	if err != nil {
		return fmt.Errorf("open UDP receive port %d: %w", s.cfg.RecvPort, err)
	}
	s.data = ep
	s.engine = ep
	return nil
}
