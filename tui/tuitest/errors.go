package tuitest

import (
	"fmt"
	"net"
	"strconv"

	"github.com/jetstream-go/jetstream/daemon/api"
)

var authFailed = &api.Error{Code: api.CodeAuthFailed, Message: "authentication failed"}

func unreachable(label string) error {
	return fmt.Errorf("cannot connect to %s: connection refused", label)
}

func hostPort(host string, port int) string { return net.JoinHostPort(host, strconv.Itoa(port)) }
