package pacer

import (
	"math"
	"strings"
	"sync"
	"testing"
)

// TestLimiterBorrowing follows the product's example: 500 = 200 in + 300
// out; with borrowing, outgoing uses all 500 while nothing comes in, and
// gives back what incoming traffic claims.
func TestLimiterBorrowing(t *testing.T) {
	inf := math.Inf(1)
	for _, tc := range []struct {
		name                string
		l                   Limits
		demandIn, demandOut float64
		wantIn, wantOut     float64
	}{
		{"no borrowing", Limits{Incoming: 200, Outgoing: 300}, 0, 1000, 200, 300},
		{"out borrows idle in", Limits{Incoming: 200, Outgoing: 300, BorrowIncoming: true}, 0, 1000, 200, 500},
		{"out gives back to in", Limits{Incoming: 200, Outgoing: 300, BorrowIncoming: true}, 200, 1000, 200, 300},
		{"partial incoming", Limits{Incoming: 200, Outgoing: 300, BorrowIncoming: true}, 50, 1000, 200, 450},
		{"in borrows idle out", Limits{Incoming: 200, Outgoing: 300, BorrowOutgoing: true}, 1000, 100, 400, 300},
		{"both borrow, both busy", Limits{Incoming: 200, Outgoing: 300, BorrowIncoming: true, BorrowOutgoing: true}, 1000, 1000, 200, 300},
		{"nothing to borrow from an uncapped side", Limits{Incoming: 200, BorrowOutgoing: true}, 1000, 0, 200, inf},
		{"uncapped", Limits{}, 1e12, 1e12, inf, inf},
		{"bad demand counts as none", Limits{Incoming: 200, Outgoing: 300, BorrowIncoming: true}, math.NaN(), 1, 200, 500},
		{"invalid caps mean none", Limits{Incoming: -1, Outgoing: math.NaN()}, 1, 1, inf, inf},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lm := NewLimiter(tc.l)
			if got := lm.Allowance(Incoming, tc.demandIn, tc.demandOut); got != tc.wantIn {
				t.Errorf("incoming allowance = %v, want %v", got, tc.wantIn)
			}
			if got := lm.Allowance(Outgoing, tc.demandIn, tc.demandOut); got != tc.wantOut {
				t.Errorf("outgoing allowance = %v, want %v", got, tc.wantOut)
			}
		})
	}
}

func TestLimiterUpdate(t *testing.T) {
	lm := NewLimiter(Limits{Outgoing: 300})
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 100 {
				if i == 0 {
					lm.Update(Limits{Outgoing: float64(300 + j)})
				}
				if a := lm.Allowance(Outgoing, 0, 1e9); a < 300 || a > 400 {
					t.Errorf("allowance %v outside the caps ever set", a)
					return
				}
			}
		}()
	}
	wg.Wait()
	lm.Update(Limits{Outgoing: 50, Incoming: 10})
	if got := lm.Limits(); got.Outgoing != 50 || got.Incoming != 10 {
		t.Errorf("Limits() = %+v", got)
	}
	if err := (Limits{Incoming: -3}).Validate(); err == nil || !strings.Contains(err.Error(), "incoming limit -3") {
		t.Errorf("Validate = %v", err)
	}
	if err := (Limits{Outgoing: math.Inf(1)}).Validate(); err == nil || !strings.Contains(err.Error(), "outgoing limit +Inf") {
		t.Errorf("Validate = %v", err)
	}
	if err := (Limits{Incoming: 1, Outgoing: 2}).Validate(); err != nil {
		t.Errorf("Validate = %v", err)
	}
	if Incoming.String() != "incoming" || Outgoing.String() != "outgoing" || Direction(5).String() != "Direction(5)" {
		t.Error("Direction.String")
	}
}
