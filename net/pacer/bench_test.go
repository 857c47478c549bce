package pacer

import (
	"encoding/binary"
	"math"
	"testing"
	"time"
)

func BenchmarkOnSample(b *testing.B) {
	c := mustCtrl(b, Config{})
	s := Sample{RTT: 100 * time.Millisecond, OneWayDelay: 50 * time.Millisecond, AckedBytes: 14000, DeliveryRate: 1.4e6}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		s.Now = time.Duration(i) * 10 * time.Millisecond
		s.OneWayDelay = 50*time.Millisecond + time.Duration(i%16)*time.Millisecond
		c.OnSample(s)
	}
}

func BenchmarkBucketDelay(b *testing.B) {
	bk := NewBucket(125e6, 64*1400)
	b.ReportAllocs()
	var now time.Duration
	for b.Loop() {
		if d := bk.Delay(1400, now); d > 0 {
			now += d
		}
	}
}

// FuzzController drives a controller with arbitrary samples and limit
// changes: the rate must stay finite and within its limits.
func FuzzController(f *testing.F) {
	f.Add(uint8(0), []byte("0123456789abcdefghijklmnopqrstuvwxyz0123456789"))
	f.Add(uint8(2), make([]byte, 64))
	f.Add(uint8(1), []byte{255, 255, 255, 255, 255, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 1, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9})
	f.Fuzz(func(t *testing.T, pol uint8, data []byte) {
		cfg := Config{Policy: Policy(pol % 3), MinRate: 100, MaxRate: 1e9}
		c := mustCtrl(t, cfg)
		for len(data) >= 40 {
			u := func(i int) uint64 { return binary.LittleEndian.Uint64(data[i:]) }
			s := Sample{
				Now:          time.Duration(u(0) >> 20),
				RTT:          time.Duration(int64(u(8)) >> 30),
				OneWayDelay:  time.Duration(int64(u(16)) >> 20),
				AckedBytes:   int64(u(24)) >> 24,
				LostBytes:    int64(u(32)) >> 40,
				DeliveryRate: math.Float64frombits(u(24)),
			}
			if data[0]&7 == 0 {
				lo := float64(data[1]) * 1000
				_ = c.SetLimits(lo, lo*float64(data[2]))
			}
			c.OnSample(s)
			st := c.State()
			if r := c.Rate(); math.IsNaN(r) || r <= 0 || r < st.MinRate || (st.MaxRate > 0 && r > st.MaxRate) {
				t.Fatalf("rate %v outside [%v, %v] after %+v", r, st.MinRate, st.MaxRate, s)
			}
			data = data[40:]
		}
	})
}
