package report

import "github.com/jetstream-go/jetstream/bench/driver"

// minOverlap is the shortest time both flows of a concurrent cell must have
// run together for their shares to be judged on that stretch alone.
const minOverlap = 3.0 // seconds

// overlapShares returns each run's mean rate, as a fraction of the link,
// over the stretch in which all of them were sending: from the latest first
// sample to the earliest last one (series times share the cell's clock).
// A flow's average over its own run mixes in the time it had the link to
// itself (a fixed-size transfer outlasting a 20 s iperf3 run, say), which
// can make a flow that was starved look fair. ok is false when the series
// overlap for less than minOverlap seconds.
func overlapShares(runs []ToolRun, linkMbit float64) (shares []float64, seconds float64, ok bool) {
	if len(runs) < 2 || linkMbit <= 0 {
		return nil, 0, false
	}
	from, to := -1.0, -1.0
	for i, r := range runs {
		if len(r.Series) == 0 {
			return nil, 0, false
		}
		first, last := r.Series[0].T, r.Series[len(r.Series)-1].T
		if i == 0 || first > from {
			from = first
		}
		if i == 0 || last < to {
			to = last
		}
	}
	if to-from < minOverlap {
		return nil, 0, false
	}
	for _, r := range runs {
		shares = append(shares, meanMbit(r.Series, from, to)/linkMbit)
	}
	return shares, to - from, true
}

// meanMbit is the mean of the samples whose interval ends in (from, to].
func meanMbit(s []driver.Sample, from, to float64) float64 {
	var sum float64
	n := 0
	for _, x := range s {
		if x.T > from && x.T <= to {
			sum += x.Mbit
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}
