package plot

import (
	"bytes"
	"errors"
	"image/png"
	"math"
	"testing"
)

func TestRenderDrawsSeries(t *testing.T) {
	c := &Chart{Title: "goodput vs RTT", XLabel: "RTT (ms)", YLabel: "% of link", Series: []Series{
		{Name: "iperf3-cubic", X: []float64{10, 50, 100}, Y: []float64{90, 60, 30}, Markers: true},
		{Name: "scp", X: []float64{10, 50, math.NaN()}, Y: []float64{40, 20, 5}},
	}}
	var buf bytes.Buffer
	if err := c.WritePNG(&buf); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 800 || b.Dy() != 450 {
		t.Fatalf("size %v", b)
	}
	count := func(want [4]uint32) int {
		n := 0
		for y := 0; y < 450; y++ {
			for x := 0; x < 800; x++ {
				r, g, b, a := img.At(x, y).RGBA()
				if [4]uint32{r >> 8, g >> 8, b >> 8, a >> 8} == want {
					n++
				}
			}
		}
		return n
	}
	if n := count([4]uint32{31, 119, 180, 255}); n < 200 {
		t.Fatalf("first series colour on %d pixels", n)
	}
	if n := count([4]uint32{214, 39, 40, 255}); n < 100 {
		t.Fatalf("second series colour on %d pixels", n)
	}
}

func TestRenderErrors(t *testing.T) {
	if _, err := (&Chart{}).Render(); !errors.Is(err, ErrNoData) {
		t.Fatalf("empty chart: %v", err)
	}
	nan := &Chart{Series: []Series{{X: []float64{math.NaN()}, Y: []float64{1}}}}
	if _, err := nan.Render(); !errors.Is(err, ErrNoData) {
		t.Fatalf("NaN-only chart: %v", err)
	}
	if _, err := (&Chart{Width: 10, Height: 10, Series: []Series{{X: []float64{1}, Y: []float64{1}}}}).Render(); err == nil {
		t.Fatal("tiny chart accepted")
	}
}

func TestSinglePointAndStack(t *testing.T) {
	one := &Chart{Title: "one", Series: []Series{{Name: "a", X: []float64{5}, Y: []float64{5}, Markers: true}}}
	two := &Chart{Title: "two", Height: 300, Series: []Series{{Name: "b", X: []float64{0, 1}, Y: []float64{-1, 1}}}}
	var buf bytes.Buffer
	if err := StackPNG(&buf, one, two); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dy() != 750 {
		t.Fatalf("stacked height %d", img.Bounds().Dy())
	}
}

func TestTicks(t *testing.T) {
	tests := []struct {
		lo, hi    float64
		wantFirst float64
		wantStep  float64
	}{
		{0, 100, 0, 20},
		{0, 1, 0, 0.2},
		{3, 7, 3, 1},
		{0, 500, 0, 100},
		{0, 550, 0, 200},
	}
	for _, tt := range tests {
		ts := ticks(tt.lo, tt.hi)
		if len(ts) < 2 || ts[0] != tt.wantFirst || math.Abs(ts[1]-ts[0]-tt.wantStep) > 1e-9 {
			t.Errorf("ticks(%v, %v) = %v", tt.lo, tt.hi, ts)
		}
	}
}
