package sparkline

import (
	"math"
	"reflect"
	"testing"
)

func TestRender(t *testing.T) {
	tests := []struct {
		in    []float64
		width int
		want  string
	}{
		{nil, 4, "    "},
		{[]float64{0, 0}, 3, " ▁▁"},
		{[]float64{1, 2, 4, 8}, 4, "▂▃▅█"},
		{[]float64{8, 4, 2, 1}, 2, "█▅"},
		{[]float64{5, math.NaN(), math.Inf(1), -3, 10}, 5, "▅▁▁▁█"},
		{[]float64{1, 2}, 0, ""},
	}
	for _, tt := range tests {
		if got := Render(tt.in, tt.width); got != tt.want {
			t.Errorf("Render(%v, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
	}
}

func TestHistory(t *testing.T) {
	h := NewHistory(3)
	for i := 1; i <= 5; i++ {
		h.Add(float64(i))
	}
	if got := h.Values(); !reflect.DeepEqual(got, []float64{3, 4, 5}) {
		t.Errorf("Values = %v", got)
	}
	if NewHistory(0).limit != 1 {
		t.Error("a zero limit was kept")
	}
}
