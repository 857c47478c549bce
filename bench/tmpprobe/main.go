package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"time"

	"github.com/jetstream-go/jetstream/bench/linkemu"
	"github.com/jetstream-go/jetstream/bench/netns"
)

func main() {
	ctx := context.Background()
	offload := os.Args[2] == "1"
	p, err := netns.NewPair(ctx, netns.PairConfig{Suffix: fmt.Sprint(os.Getpid()), Offload: offload, TCPMaxBuf: 64 << 20})
	if err != nil {
		panic(err)
	}
	defer p.Close(ctx)
	dc, err := linkemu.ParseDirConfig(os.Args[1])
	if err != nil {
		panic(err)
	}
	e, _ := linkemu.New(p.TunA, p.TunB, linkemu.Config{AtoB: dc, BtoA: dc, VnetHdr: offload})
	ectx, cancel := context.WithCancel(ctx)
	go e.Run(ectx)
	var ln net.Listener
	p.B.Do(func() (err error) {
		ln, err = net.Listen("tcp4", "10.201.0.2:9000")
		return err
	})
	res := make(chan string)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			panic(err)
		}
		var h interface{ Sum([]byte) []byte; io.Writer } = sha256.New()
		if os.Getenv("NOSHA") != "" { h = nopHash{} }
		n, err := io.Copy(h, c)
		res <- fmt.Sprintf("recv %d bytes err %v sha %x", n, err, h.Sum(nil)[:6])
	}()
	var c net.Conn
	p.A.Do(func() (err error) {
		c, err = net.Dial("tcp4", "10.201.0.2:9000")
		return err
	})
	_ = netip.Addr{}
	buf := make([]byte, 1<<20)
	for i := range buf {
		buf[i] = byte(i * 7)
	}
	var h interface{ Sum([]byte) []byte; io.Writer } = sha256.New()
	if os.Getenv("NOSHA") != "" { h = nopHash{} }
	start := time.Now()
	var sent int64
	for time.Since(start) < 5*time.Second {
		n, _ := c.Write(buf)
		h.Write(buf[:n])
		sent += int64(n)
	}
	c.Close()
	r := <-res
	el := time.Since(start).Seconds()
	cancel()
	s := e.Snapshot()
	fmt.Printf("sent %d sha %x; %s; goodput %.2f Gbit/s\n", sent, h.Sum(nil)[:6], r, float64(sent)*8/el/1e9)
	fmt.Printf("a->b forwarded %d pkts (%.0f pps, %.2f Gbit/s wire) lossdrop %d qdrop %d readerr %d writeerr %d late mean %.2fms max %.2fms\n", s.AtoB.Forwarded, float64(s.AtoB.Forwarded)/el, float64(s.AtoB.ForwardedBytes)*8/el/1e9, s.AtoB.DroppedLoss, s.AtoB.DroppedQueue, s.AtoB.ReadErrors, s.AtoB.WriteErrors, s.AtoB.LateMeanMS, s.AtoB.LateMaxMS)
	fmt.Printf("b->a forwarded %d readerr %d writeerr %d\n", s.BtoA.Forwarded, s.BtoA.ReadErrors, s.BtoA.WriteErrors)
}

type nopHash struct{}
func (nopHash) Write(p []byte) (int, error) { return len(p), nil }
func (nopHash) Sum(b []byte) []byte { return make([]byte, 8) }
