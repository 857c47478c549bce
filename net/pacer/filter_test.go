package pacer

import (
	"testing"
	"time"
)

func TestWinFilter(t *testing.T) {
	const win = 10 * time.Second
	type step struct {
		t    time.Duration
		v    float64
		want float64
	}
	for _, tc := range []struct {
		name  string
		max   bool
		steps []step
	}{
		{"max keeps best in window", true, []step{{0, 5, 5}, {time.Second, 3, 5}, {2 * time.Second, 7, 7}, {9 * time.Second, 1, 7}}},
		{"max expires old best", true, []step{{0, 9, 9}, {3 * time.Second, 4, 9}, {6 * time.Second, 2, 9}, {11 * time.Second, 1, 4}, {15 * time.Second, 1, 2}}},
		{"min keeps best in window", false, []step{{0, 5, 5}, {time.Second, 8, 5}, {2 * time.Second, 2, 2}, {11 * time.Second, 3, 2}}},
		{"min expires old best", false, []step{{0, 1, 1}, {3 * time.Second, 6, 1}, {6 * time.Second, 8, 1}, {12 * time.Second, 9, 6}, {30 * time.Second, 9, 9}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := winFilter{max: tc.max}
			if f.get() != 0 {
				t.Fatalf("empty filter = %v, want 0", f.get())
			}
			for i, s := range tc.steps {
				if got := f.update(s.t, s.v, win); got != s.want || f.get() != s.want {
					t.Fatalf("step %d (%v, %v): got %v, want %v", i, s.t, s.v, got, s.want)
				}
			}
			f.reset()
			if f.get() != 0 {
				t.Errorf("after reset = %v, want 0", f.get())
			}
		})
	}
}
