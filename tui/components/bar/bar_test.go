package bar

import (
	"math"
	"testing"

	"github.com/jetstream-go/jetstream/tui/styles"
)

func TestRender(t *testing.T) {
	st := styles.NoColorStyles()
	tests := []struct {
		frac  float64
		width int
		want  string
	}{
		{0, 4, "░░░░"}, {0.5, 4, "██░░"}, {0.99, 4, "███░"}, {1, 4, "████"},
		{2, 3, "███"}, {-1, 3, "░░░"}, {math.NaN(), 2, "░░"}, {0.5, 0, ""},
	}
	for _, tt := range tests {
		if got := Render(st, tt.frac, tt.width); got != tt.want {
			t.Errorf("Render(%v, %d) = %q, want %q", tt.frac, tt.width, got, tt.want)
		}
	}
}
