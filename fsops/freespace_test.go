package fsops

import (
	"math"
	"testing"
)

func TestFreeSpace(t *testing.T) {
	n, err := FreeSpace(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if n <= 0 {
		t.Errorf("FreeSpace = %d, want > 0 on the test filesystem", n)
	}
	_, err = FreeSpace(t.TempDir() + "/missing")
	checkCode(t, err, CodeNotFound)
}

func TestBlocksToBytes(t *testing.T) {
	tests := []struct {
		blocks, size uint64
		want         int64
	}{
		{0, 4096, 0},
		{10, 4096, 40960},
		{10, 0, 0},
		{math.MaxUint64, 4096, math.MaxInt64},
		{1 << 52, 4096, math.MaxInt64},
		{1 << 50, 4096, 1 << 62},
	}
	for _, tt := range tests {
		if got := blocksToBytes(tt.blocks, tt.size); got != tt.want {
			t.Errorf("blocksToBytes(%d, %d) = %d, want %d", tt.blocks, tt.size, got, tt.want)
		}
	}
}
