package daemon

import (
	"net"
	"strconv"
	"strings"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/net/pacer"
)

// destRec is a stored destination with the credentials used to log in to
// the receiving server (never returned by the API).
type destRec struct {
	api.Destination
	Password string `json:"password,omitempty"`
	Token    string `json:"token,omitempty"`
}

// public is the Destination Structure without secrets.
func (d destRec) public() api.Destination { return d.Destination }

// sameAs reports whether a create call would create an identical destination.
func (d destRec) sameAs(o destRec) bool {
	a, b := d.Destination, o.Destination
	return a.Owner == b.Owner && a.DestinationAddress == b.DestinationAddress && a.DestinationAPIPort == b.DestinationAPIPort &&
		a.SendRateMax == b.SendRateMax && a.MinRate == b.MinRate && a.Policy == b.Policy && a.LocalPort == b.LocalPort &&
		a.UserName == b.UserName && d.Password == o.Password && d.Token == o.Token && a.DestinationPublicKey == b.DestinationPublicKey
}

// splitHostPort parses host[:port] with a default port.
func splitHostPort(s string, def int) (string, int, error) {
	if s == "" {
		return "", 0, errEmptyAddress
	}
	host, ps, err := net.SplitHostPort(s)
	if err != nil {
		if strings.Contains(err.Error(), "missing port") {
			return strings.Trim(s, "[]"), def, nil
		}
		return "", 0, err
	}
	port, err := strconv.Atoi(ps)
	if err != nil || port < 1 || port > 65535 {
		return "", 0, errBadPort
	}
	return host, port, nil
}

var (
	errEmptyAddress = api.Errorf(api.CodeInvalidParameter, "the address is empty")
	errBadPort      = api.Errorf(api.CodeInvalidParameter, "the port must be between 1 and 65535")
)

func checkRates(p params) error {
	for _, k := range []string{"sendRateMax", "minRate"} {
		if v := p.float(k, 0); v < 0 {
			return p.invalid(k, "must be >= 0 kbit/s, got %v", v)
		}
	}
	if p.has("sendRateMax") && p.has("minRate") && p.float("sendRateMax", 0) > 0 && p.float("minRate", 0) > p.float("sendRateMax", 0) {
		return p.invalid("minRate", "must not exceed sendRateMax")
	}
	if pol := p.str("policy"); p.has("policy") {
		if _, err := pacer.ParsePolicy(pol); err != nil {
			return p.invalid("policy", "want fixed, fair or low, got %q", pol)
		}
	}
	return nil
}

// fixedNeedsRate refuses policy fixed without a rate to send at (the engine
// would fail the transfer only once it starts).
func fixedNeedsRate(p params, policy string, sendRateMax float64) error {
	if policy == api.PolicyFixed && sendRateMax <= 0 {
		return p.invalid("sendRateMax", "policy fixed sends at sendRateMax: give it in kbit/s")
	}
	return nil
}

func (s *Server) registerDestinationMethods(r routes) {
	r["send.createDestination"] = func(c *call) (any, error) {
		if err := checkRates(c.p); err != nil {
			return nil, err
		}
		addr := strings.TrimSpace(c.p.str("destinationAddress"))
		host, udpPort, err := splitHostPort(addr, api.DefaultRecvPort)
		if err != nil {
			return nil, c.p.invalid("destinationAddress", "want host[:udpport]: %v", err)
		}
		apiPort := int(c.p.int("destinationApiPort", api.DefaultAPIPort))
		if apiPort < 1 || apiPort > 65535 {
			return nil, c.p.invalid("destinationApiPort", "must be between 1 and 65535")
		}
		local := int(c.p.int("localPort", 0))
		if local < 0 || local > 65535 {
			return nil, c.p.invalid("localPort", "must be between 0 and 65535")
		}
		if c.p.has("userName") && c.p.has("token") {
			return nil, c.p.invalid("token", "give userName+password or token, not both")
		}
		if k := c.p.str("destinationPublicKey"); k != "" {
			if _, err := api.ParseServerKey(k); err != nil { // the receiver must prove it holds it (send_login.go)
				return nil, c.p.invalid("destinationPublicKey", "want the receiver's publicKey from getServerInfo: %v", err)
			}
		}
		var ud map[string]any
		if err := c.p.decode("userData", &ud); err != nil {
			return nil, err
		}
		policy := c.p.str("policy")
		if policy == "" {
			policy = api.PolicyFair
		}
		if err := fixedNeedsRate(c.p, policy, c.p.float("sendRateMax", 0)); err != nil {
			return nil, err
		}
		d := destRec{Destination: api.Destination{
			DestinationAddress: addr, DestinationIP: host, DestinationPort: udpPort, DestinationAPIPort: apiPort,
			DestinationPublicKey: c.p.str("destinationPublicKey"), EncryptionEnabled: true,
			EncryptedConnectionState: "idle", SendRateMax: c.p.float("sendRateMax", 0), MinRate: c.p.float("minRate", 0),
			Policy: policy, LocalPort: local, UserName: c.p.str("userName"), Owner: c.sess.userName(), UserData: ud,
		}, Password: c.p.str("password"), Token: c.p.str("token")}
		for _, old := range s.xfer.dests.list(nil) {
			if old.sameAs(d) {
				return old.public(), nil
			}
		}
		d.DestinationID = randomHex(16)
		d.ConnectionID = d.DestinationID
		if err := s.xfer.dests.put(d.DestinationID, d); err != nil {
			return nil, err
		}
		s.bus.emit(d.Owner, "destinationCreated", map[string]any{"destinationId": d.DestinationID,
			"destinationAddress": net.JoinHostPort(host, strconv.Itoa(udpPort)), "clientAddress": c.sess.remote.String()})
		return d.public(), nil
	}
	r["send.deleteDestination"] = func(c *call) (any, error) {
		d, err := s.xfer.destFor(c, c.p.str("destinationId"))
		if err != nil {
			return nil, err
		}
		if id := s.xfer.activeOn(d.DestinationID); id != "" {
			return nil, api.Errorf(api.CodeConflict, "send.deleteDestination: transfer %s to this destination is not finished; cancel it first", id)
		}
		s.xfer.dests.del(d.DestinationID)
		s.bus.emit(d.Owner, "destinationDeleted", map[string]any{"destinationId": d.DestinationID,
			"destinationAddress": net.JoinHostPort(d.DestinationIP, strconv.Itoa(d.DestinationPort)), "clientAddress": c.sess.remote.String()})
		return nil, nil
	}
	r["send.getDestination"] = func(c *call) (any, error) {
		d, err := s.xfer.destFor(c, c.p.str("destinationId"))
		if err != nil {
			return nil, err
		}
		return s.xfer.decorate(d), nil
	}
	r["send.getDestinations"] = func(c *call) (any, error) {
		var out []api.Destination
		for _, d := range s.xfer.dests.list(func(d *destRec) bool { return c.sess.canSee(d.Owner) }) {
			out = append(out, s.xfer.decorate(d))
		}
		return map[string]any{"destinations": nonNil(out)}, nil
	}
	r["send.getConnection"] = func(c *call) (any, error) {
		d, err := s.xfer.destFor(c, c.p.str("destinationId"))
		if err != nil {
			return nil, err
		}
		return s.xfer.connection(d), nil
	}
	r["send.getConnections"] = func(c *call) (any, error) {
		var out []api.Connection
		for _, d := range s.xfer.dests.list(func(d *destRec) bool { return c.sess.canSee(d.Owner) }) {
			out = append(out, s.xfer.connection(d))
		}
		return map[string]any{"connections": nonNil(out)}, nil
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (x *transfers) destFor(c *call, id string) (destRec, error) {
	d, ok := x.dests.get(id)
	if !ok || !c.sess.canSee(d.Owner) {
		return destRec{}, api.Errorf(api.CodeNotFound, "destination %q not found", id)
	}
	return d, nil
}
