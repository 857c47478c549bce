package daemon

import (
	"context"
	"net"
	"strconv"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
)

// dataPort is the part of the UDP engine endpoint that the server methods
// use: the receive port and discover packets.
type dataPort interface {
	LocalAddr() *net.UDPAddr
	SendDiscover(raddr *net.UDPAddr, discoverID string) error
	WaitDiscover(ctx context.Context, discoverID string) (*net.UDPAddr, error)
}

const (
	defaultDiscoverTimeout = 10 * time.Second
	maxDiscoverTimeout     = 10 * time.Minute
	discoverRepeats        = 5
)

func (s *Server) registerDiscoverMethods(r routes) {
	r["recvDiscoverPacketAsync"] = func(c *call) (any, error) {
		if s.engine == nil {
			return nil, api.Errorf(api.CodeUnavailable, "recvDiscoverPacketAsync: the UDP receive port is not open")
		}
		timeout := defaultDiscoverTimeout
		if c.p.has("timeoutSeconds") {
			t := c.p.float("timeoutSeconds", 0)
			if t <= 0 || time.Duration(t*float64(time.Second)) > maxDiscoverTimeout {
				return nil, c.p.invalid("timeoutSeconds", "must be > 0 and at most %v", maxDiscoverTimeout)
			}
			timeout = time.Duration(t * float64(time.Second))
		}
		id := randomHex(16)
		ar := s.requests.start(s.baseCtx, c.sess, c.p.method.Name, func(ctx context.Context) (any, error) {
			ctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			addr, err := s.engine.WaitDiscover(ctx, id)
			if err != nil {
				return nil, api.Errorf(api.CodeUnavailable, "no discover packet arrived within %v", timeout)
			}
			return api.DiscoverPacket{Address: addr.IP.String(), Port: addr.Port}, nil
		})
		return api.RequestRef{RequestID: ar.id, DiscoverID: id}, nil
	}
	r["sendDiscoverPacketAsync"] = func(c *call) (any, error) {
		if s.engine == nil {
			return nil, api.Errorf(api.CodeUnavailable, "sendDiscoverPacketAsync: the UDP port is not open")
		}
		id := c.p.str("discoverId")
		if id == "" || len(id) > 128 {
			return nil, c.p.invalid("discoverId", "must be the id returned by recvDiscoverPacketAsync")
		}
		port := int(c.p.int("destinationPort", api.DefaultRecvPort))
		if port < 1 || port > 65535 {
			return nil, c.p.invalid("destinationPort", "must be between 1 and 65535")
		}
		host := c.p.str("destinationAddress")
		return c.async(func(ctx context.Context) (any, error) {
			ua, err := net.ResolveUDPAddr("udp4", net.JoinHostPort(host, strconv.Itoa(port)))
			if err != nil {
				return nil, api.Errorf(api.CodeInvalidParameter, "sendDiscoverPacketAsync: cannot resolve %q: %v", host, err)
			}
			// Discover packets may be lost: send a few, spaced out.
			for i := 0; i < discoverRepeats; i++ {
				if err := s.engine.SendDiscover(ua, id); err != nil {
					return nil, api.Errorf(api.CodeUnavailable, "send discover packet to %s: %v", ua, err)
				}
				select {
				case <-ctx.Done():
					return nil, ctx.Err()
				case <-time.After(20 * time.Millisecond):
				}
			}
			return api.DiscoverSent{DiscoverPacketSent: true}, nil
		})
	}
}
