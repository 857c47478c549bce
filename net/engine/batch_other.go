//go:build !linux

package engine

import "net"

type batchMsg struct{}

type batchIO struct{}

func newBatchIO(*net.UDPConn) *batchIO { return nil }

func (b *batchIO) write([][]byte, *net.UDPAddr, *[]batchMsg) error { return nil }
func (b *batchIO) readLoop(*Endpoint)                              {}
