package netsim

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	kcp "github.com/xtaci/kcp-go/v5"
)

// TestKCPOverLossyLink shows kcp-go running over netsim conns (in real
// time: kcp-go's scheduler goroutines live outside any synctest bubble):
// 256 KiB cross a 5 ms, 5 % loss, reordering link intact.
func TestKCPOverLossyLink(t *testing.T) {
	n := New(LinkConfig{Delay: 5 * time.Millisecond, Loss: 0.05, Reorder: 0.05, Seed: 11})
	defer n.Close()
	srvConn, _ := n.Listen()
	cliConn, _ := n.Listen()

	l, err := kcp.ServeConn(nil, 0, 0, srvConn)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	cli, err := kcp.NewConn3(1, srvConn.LocalAddr(), nil, 0, 0, cliConn)
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	cli.SetNoDelay(1, 10, 2, 1)
	cli.SetWindowSize(256, 256)

	want := make([]byte, 256<<10)
	for i := range want {
		want[i] = byte(rand.N(256))
	}
	deadline := time.Now().Add(20 * time.Second)
	got := make(chan []byte, 1)
	go func() {
		s, err := l.AcceptKCP()
		if err != nil {
			t.Error(err)
			got <- nil
			return
		}
		defer s.Close()
		s.SetNoDelay(1, 10, 2, 1)
		s.SetWindowSize(256, 256)
		s.SetReadDeadline(deadline)
		buf := make([]byte, len(want))
		_, err = io.ReadFull(s, buf)
		if err != nil {
			t.Error(err)
		}
		got <- buf
	}()
	cli.SetWriteDeadline(deadline)
	if _, err := cli.Write(want); err != nil {
		t.Fatal(err)
	}
	if b := <-got; !bytes.Equal(b, want) {
		t.Fatal("data corrupted or incomplete over the simulated link")
	}
	if st := n.Stats(cliConn.LocalAddr(), srvConn.LocalAddr()); st.DroppedLoss == 0 || st.Reordered == 0 {
		t.Errorf("the link lost/reordered nothing (%+v): the test proves little", st)
	}
}
