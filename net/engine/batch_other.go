//go:build !linux

package engine

import "net"

type batchMsg struct{}

const batchSize = 64

type batchIO struct {
	gso  fakeBool
	gro  bool
	rxts bool
}

const groBufSize = 0

type fakeBool struct{}

func (fakeBool) Load() bool { return false }

func newBatchIO(*net.UDPConn, func(string, ...any)) *batchIO { return nil }

func (b *batchIO) write([][]byte, *net.UDPAddr, *[]batchMsg) error { return nil }
func (b *batchIO) readLoop(*Endpoint)                              {}
