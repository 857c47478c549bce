package pacer

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// This file is a small discrete-time model of one bottleneck link, used to
// drive Controllers with hand-advanced time. Every step (1 ms) each active
// flow offers rate×step bytes to a drop-tail FIFO; the link serves
// rate×step bytes from its head; served bytes cross the rest of the path
// (half the base RTT), where each whole MSS-sized packet is lost with the
// configured probability; the receiver aggregates arrivals into reports
// every reportEvery, which reach the sender half a base RTT later.

const (
	simStep     = time.Millisecond
	reportEvery = 10 * time.Millisecond
	simMSS      = 1400.0
)

type simLink struct {
	rate     float64       // bytes/s
	baseRTT  time.Duration // forward and return halves are equal
	queueCap time.Duration // drop-tail limit, in time at rate (0 = unlimited)
	loss     float64       // random loss probability per packet, after the queue
	rng      *rand.Rand

	now    time.Duration
	queue  []simChunk
	qBytes float64
	flows  []*simFlow
	qTrace []time.Duration // queueing delay at the end of each step
}

type simChunk struct {
	f     *simFlow
	bytes float64
	sent  time.Duration
}

// simSender is what a flow runs: a Controller or a TCP-like model.
type simSender interface {
	rate(now time.Duration, queueDelay time.Duration) float64
	onSample(s Sample)
}

type simFlow struct {
	name        string
	start, stop time.Duration // active in [start, stop); stop 0 = forever
	sender      simSender
	owdOffset   time.Duration // receiver clock minus sender clock
	noOWD       bool          // report RTT only
	// noise, when set, returns extra delay added to a report's RTT and
	// one-way delay (host scheduling noise: not a queue at the bottleneck).
	noise func() time.Duration

	// receiver side
	carry      float64 // bytes toward the next whole packet
	curIdx     int64
	acked      float64
	lost       float64
	newestSent time.Duration
	newestOWD  time.Duration
	hasData    bool
	dropped    float64 // drop-tail losses not yet reported
	dropTotal  float64 // all drop-tail losses
	sentTotal  float64 // all bytes offered to the queue
	inflight   []simReport

	goodput []float64 // delivered bytes per 100 ms bin (receiver time)
	rates   []float64 // sending rate per step
}

type simReport struct {
	at time.Duration
	s  Sample
}

func newSimLink(rate float64, rtt, queueCap time.Duration, loss float64, seed uint64) *simLink {
	return &simLink{rate: rate, baseRTT: rtt, queueCap: queueCap, loss: loss,
		rng: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))}
}

func (l *simLink) add(f *simFlow) *simFlow {
	l.flows = append(l.flows, f)
	return f
}

func (l *simLink) queueDelay() time.Duration {
	return time.Duration(l.qBytes / l.rate * float64(time.Second))
}

// run advances the model until d.
func (l *simLink) run(d time.Duration) {
	for l.now < d {
		l.step()
	}
}

func (l *simLink) step() {
	now, dt := l.now, simStep.Seconds()
	qd := l.queueDelay()
	offered := make([]float64, len(l.flows))
	total := 0.0
	for i, f := range l.flows {
		if now < f.start || (f.stop > 0 && now >= f.stop) {
			f.rates = append(f.rates, 0)
			continue
		}
		r := f.sender.rate(now, qd)
		f.rates = append(f.rates, r)
		offered[i] = r * dt
		f.sentTotal += offered[i]
		total += offered[i]
	}
	// A full drop-tail queue drops arrivals in proportion to what each flow
	// offers (packets of the flows interleave within a step), not the
	// flows that happen to come last.
	keep := 1.0
	if room := math.Max(l.rate*l.queueCap.Seconds()-l.qBytes, 0); l.queueCap > 0 && total > room {
		keep = room / total
	}
	for i, f := range l.flows {
		bytes := offered[i] * keep
		f.dropped += offered[i] - bytes
		f.dropTotal += offered[i] - bytes
		if bytes > 0 {
			l.queue = append(l.queue, simChunk{f: f, bytes: bytes, sent: now})
			l.qBytes += bytes
		}
	}
	budget := l.rate * dt
	for budget > 0 && len(l.queue) > 0 {
		c := &l.queue[0]
		take := math.Min(c.bytes, budget)
		budget -= take
		c.bytes -= take
		l.qBytes -= take
		l.arrive(c.f, take, c.sent, now+simStep+l.baseRTT/2)
		if c.bytes <= 1e-9 {
			l.queue = l.queue[1:]
		}
	}
	if len(l.queue) == 0 {
		l.qBytes = 0
	}
	l.now += simStep
	l.qTrace = append(l.qTrace, l.queueDelay())
	for _, f := range l.flows {
		for len(f.inflight) > 0 && f.inflight[0].at <= l.now {
			f.sender.onSample(f.inflight[0].s)
			f.inflight = f.inflight[1:]
		}
	}
}

// arrive accounts bytes reaching the receiver at time at.
func (l *simLink) arrive(f *simFlow, bytes float64, sent, at time.Duration) {
	idx := int64(at / reportEvery)
	if f.hasData && idx != f.curIdx {
		l.finishReport(f)
	}
	f.curIdx, f.hasData = idx, true
	f.carry += bytes
	for f.carry >= simMSS {
		f.carry -= simMSS
		if l.loss > 0 && l.rng.Float64() < l.loss {
			f.lost += simMSS
			continue
		}
		f.acked += simMSS
		bin := int(at / (100 * time.Millisecond))
		for len(f.goodput) <= bin {
			f.goodput = append(f.goodput, 0)
		}
		f.goodput[bin] += simMSS
	}
	f.newestSent, f.newestOWD = sent, at-sent
}

func (l *simLink) finishReport(f *simFlow) {
	at := time.Duration(f.curIdx+1)*reportEvery + l.baseRTT/2
	s := Sample{
		Now:          at,
		RTT:          at - f.newestSent,
		AckedBytes:   int64(f.acked),
		LostBytes:    int64(f.lost + f.dropped),
		DeliveryRate: f.acked / reportEvery.Seconds(),
	}
	if !f.noOWD {
		s.OneWayDelay = f.newestOWD + f.owdOffset
	}
	if f.noise != nil {
		n := f.noise()
		s.RTT += n
		if !f.noOWD {
			s.OneWayDelay += n
		}
	}
	f.inflight = append(f.inflight, simReport{at: at, s: s})
	f.acked, f.lost, f.dropped = 0, 0, 0
}

// share is the flow's mean goodput over [from, to) as a fraction of the
// link rate.
func (l *simLink) share(f *simFlow, from, to time.Duration) float64 {
	var sum float64
	for b := int(from / (100 * time.Millisecond)); b < int(to/(100*time.Millisecond)); b++ {
		if b < len(f.goodput) {
			sum += f.goodput[b]
		}
	}
	return sum / (to - from).Seconds() / l.rate
}

// maxQueue is the largest queueing delay seen in [from, to).
func (l *simLink) maxQueue(from, to time.Duration) time.Duration {
	var m time.Duration
	for i := int(from / simStep); i < int(to/simStep) && i < len(l.qTrace); i++ {
		m = max(m, l.qTrace[i])
	}
	return m
}

// firstAbove is the first time t at which the flow's goodput over
// [t, t+window) reaches frac of the link rate, or -1.
func (l *simLink) firstAbove(f *simFlow, frac float64, window time.Duration) time.Duration {
	for t := time.Duration(0); t+window <= l.now; t += 100 * time.Millisecond {
		if l.share(f, t, t+window) >= frac {
			return t
		}
	}
	return -1
}

// ctrlSender adapts a Controller to the model.
type ctrlSender struct{ c *Controller }

func (s ctrlSender) rate(time.Duration, time.Duration) float64 { return s.c.Rate() }
func (s ctrlSender) onSample(x Sample)                         { s.c.OnSample(x) }

// renoSender is a TCP-Reno-like window flow: slow start, +1 MSS per RTT,
// halve on a loss report (at most once per RTT); its rate is cwnd over the
// current RTT, so it is ack-clocked by the queue it builds.
type renoSender struct {
	baseRTT  time.Duration
	cwnd     float64
	ssthresh float64
	lastCut  time.Duration
	now      time.Duration
}

func newReno(rtt time.Duration) *renoSender {
	return &renoSender{baseRTT: rtt, cwnd: 10 * simMSS, ssthresh: math.Inf(1), lastCut: -time.Hour}
}

func (r *renoSender) rate(_ time.Duration, qd time.Duration) float64 {
	return r.cwnd / (r.baseRTT + qd).Seconds()
}

func (r *renoSender) onSample(s Sample) {
	if s.LostBytes > 0 {
		if s.Now-r.lastCut > s.RTT {
			r.cwnd = math.Max(r.cwnd/2, 2*simMSS)
			r.ssthresh = r.cwnd
			r.lastCut = s.Now
		}
		return
	}
	if r.cwnd < r.ssthresh {
		r.cwnd += float64(s.AckedBytes)
	} else {
		r.cwnd += simMSS * float64(s.AckedBytes) / r.cwnd
	}
}

// cubicSender is CUBIC (RFC 9438) as Linux runs it, without HyStart: W(t) =
// C(t−K)³ + Wmax after a loss, β = 0.7, C = 0.4 (cwnd in packets), with the
// Reno-friendly region.
type cubicSender struct {
	baseRTT  time.Duration
	cwnd     float64 // bytes
	ssthresh float64
	wmax     float64 // packets
	k        float64 // seconds
	epoch    time.Duration
	wEst     float64 // Reno-friendly estimate, packets
	lastCut  time.Duration

	// HyStart (delay increase; Linux's default): slow start ends when a
	// round's least RTT exceeds the previous round's by
	// clamp(prev/8, 4 ms, 16 ms).
	hystart            bool
	roundEnd           time.Duration
	curMin, lastMinRTT time.Duration
}

func newCubic(rtt time.Duration) *cubicSender {
	return &cubicSender{baseRTT: rtt, cwnd: 10 * simMSS, ssthresh: math.Inf(1), lastCut: -time.Hour, epoch: -1}
}

func (c *cubicSender) rate(_ time.Duration, qd time.Duration) float64 {
	return c.cwnd / (c.baseRTT + qd).Seconds()
}

func (c *cubicSender) onSample(s Sample) {
	const beta, cc = 0.7, 0.4
	if s.LostBytes > 0 {
		if s.Now-c.lastCut > s.RTT {
			w := c.cwnd / simMSS
			if w < c.wmax {
				w *= (1 + beta) / 2 // fast convergence (Linux's default)
			}
			c.wmax = w
			c.cwnd = math.Max(c.cwnd*beta, 2*simMSS)
			c.ssthresh = c.cwnd
			c.lastCut, c.epoch = s.Now, -1
		}
		return
	}
	if c.cwnd < c.ssthresh {
		c.cwnd += float64(s.AckedBytes)
		if c.hystart {
			c.hystartCheck(s)
		}
		return
	}
	w := c.cwnd / simMSS
	if c.epoch < 0 {
		c.epoch = s.Now
		c.k = math.Cbrt(math.Max(c.wmax-w, 0) / cc)
		c.wEst = w
	}
	t := (s.Now - c.epoch + s.RTT).Seconds()
	target := cc*math.Pow(t-c.k, 3) + c.wmax
	c.wEst += 3 * (1 - beta) / (1 + beta) * float64(s.AckedBytes) / simMSS / w
	target = math.Max(target, c.wEst)
	if target > w {
		c.cwnd += (target - w) / w * float64(s.AckedBytes)
	} else {
		c.cwnd += 0.01 * float64(s.AckedBytes) / w
	}
}

func (c *cubicSender) hystartCheck(s Sample) {
	if c.curMin == 0 || s.RTT < c.curMin {
		c.curMin = s.RTT
	}
	if s.Now < c.roundEnd {
		return
	}
	if c.lastMinRTT > 0 && c.curMin >= c.lastMinRTT+min(max(c.lastMinRTT/8, 4*time.Millisecond), 16*time.Millisecond) {
		c.ssthresh = c.cwnd
	}
	c.lastMinRTT, c.curMin, c.roundEnd = c.curMin, 0, s.Now+s.RTT
}

// constSender sends at a fixed rate whatever the path says.
type constSender float64

func (c constSender) rate(time.Duration, time.Duration) float64 { return float64(c) }
func (constSender) onSample(Sample)                             {}

// TestSimDropTailIsOrderFree: two flows that together offer 1.5 × the link
// to a full drop-tail queue each lose a third of what they send, whichever
// was added first (the model once filled the queue in flow order, so the
// first flow never lost a packet and the second lost most of its own).
func TestSimDropTailIsOrderFree(t *testing.T) {
	for _, rates := range [][2]float64{{0.75, 0.75}, {1.0, 0.5}, {0.5, 1.0}} {
		l := newSimLink(100*mbit, 50*time.Millisecond, 50*time.Millisecond, 0, 1)
		a := l.add(&simFlow{sender: constSender(rates[0] * 100 * mbit)})
		b := l.add(&simFlow{sender: constSender(rates[1] * 100 * mbit)})
		l.run(10 * time.Second)
		sa, sb := l.share(a, 2*time.Second, 10*time.Second), l.share(b, 2*time.Second, 10*time.Second)
		wantA := rates[0] / (rates[0] + rates[1])
		if math.Abs(sa-wantA) > 0.02 || math.Abs(sb-(1-wantA)) > 0.02 {
			t.Errorf("offered %.2f / %.2f of the link: shares %.3f / %.3f, want %.3f / %.3f", rates[0], rates[1], sa, sb, wantA, 1-wantA)
		}
	}
}
