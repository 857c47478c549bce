package engine

import "testing"

func TestDefaultReadAhead(t *testing.T) {
	for _, tc := range []struct{ buf, want int }{
		{1473, 2847}, // Ethernet path: about 4 MiB of 1.4 KB datagrams
		{65508, 256}, // loopback datagrams: the floor
		{9001, 465},  // jumbo frames
		{100, 4096},  // tiny datagrams: the ceiling
		{0, 4096},    // nonsense size: still bounded
		{1 << 30, 256},
	} {
		if got := defaultReadAhead(tc.buf); got != tc.want {
			t.Errorf("defaultReadAhead(%d) = %d, want %d", tc.buf, got, tc.want)
		}
	}
}
