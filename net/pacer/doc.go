// Package pacer is the rate-control arithmetic of the data engine: a
// Controller that turns ACK reports into a target sending rate, a Bucket
// that turns the rate into per-datagram waits, and a Limiter that shares
// the server-wide incoming/outgoing caps. Everything here is pure: no I/O,
// no goroutines, no clock — time comes in as an argument (Time, a monotonic
// duration since an arbitrary epoch), so tests drive it with hand-advanced
// time and a simulated link.
//
// # What the engine does with it
//
// The engine sends blocks at Controller.Rate whether or not ACKs arrive
// (the product's "transmission decoupled from ACKs"), pacing each datagram
// through a Bucket whose rate it updates after every report; for every
// aggregate ACK report it calls OnSample with the bytes newly acked and
// lost, an echoed-timestamp RTT, the one-way delay of the newest block and
// the receiver's delivery rate. setSendRate maps to SetLimits, the policy
// option to SetPolicy, and the server's in/out caps to Limiter.Allowance,
// which bounds the sum of the transfers' rates in each direction.
//
// # Policies
//
// fixed sends at MaxRate (or InitialRate) and ignores the network.
//
// fair (the default) is delay-based, in the spirit of Aspera FASP's
// queueing-delay controller, LEDBAT and BBR. Random loss on long paths is
// what makes TCP crawl, so loss alone never lowers the rate; the signal is
// the queueing delay the flow itself adds at the bottleneck:
//
//   - Queueing delay is the one-way delay above its 10 s windowed minimum
//     (the clock offset between hosts cancels out; the window lets the
//     estimate follow clock drift and route changes), or RTT above the
//     minimum RTT when no one-way delay is reported. The last four samples
//     are min-filtered so one jittery report does not look like a queue.
//   - The target is a tenth of the minimum RTT bounded to [5 ms, 25 ms]:
//     long paths tolerate a little more standing queue, short ones less.
//   - Startup doubles the rate every round trip (slow start on the rate,
//     from 500 MSS per second, or a tenth of MaxRate when that is more: the
//     target rate is the user's word on the link) until the queueing delay passes the target
//     or the delivery rate stops growing by 25 % for three rounds (BBR's
//     full-pipe test). Its feedback is a round trip old, so unbraked
//     doubling overshot the bottleneck 3–9× and overflowed a one-RTT
//     drop-tail queue; two brakes bound that: the rate never exceeds 2 ×
//     the best delivery rate seen, and once the queueing delay passes a
//     quarter of the target growth slows to 1.25× per round (HyStart++'s
//     conservative slow start). Startup reads the smallest of the last
//     three delay samples (not the four-sample filter), so it reacts a
//     report sooner, yet one or two late reports (a busy host) do not end
//     it; and a queue that is gone within a round of the exit (reports on
//     packets sent before it cannot show the drain yet) was a stall of a
//     host, not this flow's queue: startup resumes (at most 3 times). Drain
//     then sends at
//     half the measured bottleneck rate until a report sent at least a
//     round into the drain shows the queue built during startup is gone —
//     the link stays busy from that queue, so draining fast costs almost
//     nothing — and steady begins at 90 % of it. A drain that took far
//     longer than this flow's own could (alone, sending at half the link,
//     it empties the queue at half its delay per unit of time; 1.5× that
//     plus half a round) emptied a queue that was mostly other flows', when
//     they cut: this flow joined a busy link and left startup at a fraction
//     of a fair share, so fair (not low) resumes startup from the drain
//     rate and takes what they released (a flow joining one that fills the
//     link kept 26–34 % of it over its first 20 s in the simulator, 46–50 %
//     now). A flow that reached MaxRate in startup enters steady without a
//     drain, and its first queue is its own: it cuts on it at once instead
//     of waiting for the queue to grow (on a full buffer it cannot).
//   - Delivery-rate reports are capped by the highest rate the flow sent
//     at over the last two rounds: a receiver that measures over short
//     intervals reads a burst after a stall as a rate above the link, and
//     the windowed maximum kept it.
//   - Steady is AIMD on the delay signal. Below target the rate grows by
//     sqrt(rate × 4 KiB/s) per round trip: about 2 % per RTT at 100 Mbit/s,
//     0.6 % at 1 Gbit/s. The step is sub-linear in the rate, so a smaller
//     flow gains relatively faster than a larger one; together with
//     multiplicative cuts this makes competing fair flows converge to equal
//     shares (Chiu–Jain), which a pure delay-target controller (LEDBAT)
//     does not do. After 8 quiet rounds the step doubles every 8 more
//     rounds (up to 64×), so bandwidth freed by a departing flow, or left
//     unused after a startup that ended early on delay noise, is taken
//     back within seconds even at multi-gigabit rates. Until steady first
//     cuts, a rate below 95 % of the flow's own recent delivery rate closes
//     the gap in one round: steady begins from a bandwidth estimate a round
//     older than startup's last deliveries. (After a steady cut it does not:
//     climbing back to its own recent rate kept every flow's share as it
//     was, and two fair flows on the WAN bench stayed at 30/60 % of the
//     link for 17 s; spurious cuts are undone instead, see below.)
//   - Above target the rate is cut to β × the rate the path recently
//     delivered (the round's best, corrected for the loss ratio; with the
//     queue at the top of a deep buffer, the round's plain average, as the
//     losses are its drops: two fair flows that overshot a 100 ms buffer
//     together otherwise kept it full), with β = 1 − 0.1 q/target
//     (0.9 just above target, never below 0.8: deeper cuts at the jump of
//     a competing TCP's slow start left fair 19 % of the link for the next
//     20 s in the simulator, 29 % with 0.8; two fair flows converge alike). Cutting from the delivery
//     rate rather than the sending rate brings the aggregate below capacity
//     in one step, so the queue drains — which also lets a late-joining
//     flow, whose base-delay estimate started inflated by the standing
//     queue, see the true base delay. Feedback lags by a round trip and the
//     queue peaks just as a cut takes effect, so the controller ignores
//     reports on packets sent before the cut and cuts again only when the
//     queue grows past its post-cut low by half a target, or stays above
//     target for four rounds. A report on a packet sent before the cut that
//     shows no queue undoes the cut: the queue was gone before the cut could
//     act, so it was a host stall (a burst of late reports), not this flow's.
//   - Steady and drain read the queueing delay above its floor: the lowest
//     it was over the last 8 rounds (at least 1 s). A flow alone, or among
//     delay-based flows, drains the queue with its cuts, so the floor is ~0;
//     a loss-based competitor (CUBIC, Reno) keeps a drop-tail buffer full
//     whatever this flow does.
//   - Once the floor has stayed above target for 24 rounds (at least 3 s:
//     two fair flows whose startups overlap can hold a queue for a second
//     or two, and on the bench both then competed and filled the buffer),
//     and until it falls below target, steady competes instead: that queue
//     grows with the competitor's window, and answering its growth left fair
//     11–14 % of the link next to CUBIC on the WAN bench. Competing runs
//     CUBIC's own rules (RFC 9438) in rate terms: a slow start (1.5× per
//     round) to the first loss, then W(t) = C(t−K)³ + Wmax (or the
//     Reno-friendly estimate) sent as W MSS per RTT at the last cut (fixed
//     between cuts: a window would speed up as the queue drains and keep a
//     deep buffer full even alone), at least an eighth of steady's step per
//     round, and a cut by β = 0.7, with fast convergence, on a loss that
//     arrives while the queue is within 80 % of its recent maximum — a full
//     buffer; random loss elsewhere on the path stays noise. In the
//     simulator fair keeps 34–71 % of the link next to CUBIC and leaves Reno
//     26–46 % (CUBIC leaves Reno 5–20 %). The base-delay window is 60 s
//     while competing, so the competitor's standing queue is not mistaken
//     for the path's delay. The delivery-rate ceiling is off: the
//     competitor's buffer, not a policer, holds the delivery rate down.
//     When the competitor leaves, fair fills the buffer alone until its
//     next cut drains it, the floor falls and steady resumes. Startup and
//     low read the whole queue.
//   - The rate never exceeds 1.15 × the windowed-maximum delivery rate
//     (from a round after steady begins, for the same reason).
//     That bounds the damage on paths whose buffer is too shallow to show
//     delay (a policer): the flow then overshoots by at most 15 %.
//
// low is the scavenger (Aspera's "use only unused bandwidth", LEDBAT's
// goal): the same machinery with a fifth of fair's delay target (at least
// 1 ms), half of its increase step and deeper cuts (β = 1 − 0.1 q/target
// within [0.5, 0.9], measured against the smaller target). A fair flow or a
// loss-based TCP holds the queue well above low's target, so low keeps
// cutting towards MinRate and the other flow keeps nearly everything; on an
// idle path low still fills the link.
//
// Rates always stay within [MinRate, MaxRate] (MaxRate 0 = none) and above
// two MSS per second so that feedback keeps coming. SetLimits applies at
// once; raising the ceiling of a flow that was held at it re-enters startup
// to find the new bottleneck quickly.
//
// # Measured on the simulated link (controller_test.go)
//
// 100 Mbit/s, 100 ms RTT, 200 ms drop-tail buffer: 90 % goodput within
// 8 RTTs, 97.6 % after convergence, queueing delay ≤ 23 ms; with 3 %
// random loss 95.5 % goodput (of a possible 97 %). Two fair flows:
// 49/49 %; a fair flow next to low: 96 % vs 1 %; a Reno-like TCP next to
// low: 99.9 %.
//
// # Known limits
//
// A flow that joins a link where a loss-based TCP already keeps a standing
// queue never sees the empty path: it takes the queue's low point for the
// base delay and competes only while the queue stays above that (next to
// CUBIC at a 200 ms buffer, joining 2 s after it, fair keeps 34 % of the
// link over the first 20 s in the simulator, 71 % over the next 20). On the
// WAN bench (100 Mbit/s, 50 ms, 100 ms buffer) about one run in four goes
// worse, with the old and the new code alike: in a traced one, fair left
// startup at 24 Mbit/s on CUBIC's slow-start queue, steady cut it to
// 2.5 Mbit/s on the queue CUBIC kept growing, and compete's slow start
// ended at 17 Mbit/s on the first loss at the full buffer; from so small a
// Wmax CUBIC's own rules regrow slowly (K is about 10 s here), so it kept
// 20 % of the link over 19 s (8-14 % in others). The simulator's CUBIC does
// not reproduce it. A shallow buffer or
// policer that drops without queueing hides the delay signal;
// the delivery-rate ceiling then bounds the overshoot. Flows with very
// different RTTs share with the usual RTT bias of per-round increases.
//
// Two fair flows converge slowly from unequal starts: both cut by the same
// β about every 1.7 s (500 Mbit/s, 100 ms) and the square-root step favours
// the larger flow, so a 60/40 split takes tens of seconds to close. Without
// MaxRate, a flow that joins during the other's startup leaves startup on
// its overshoot and drains alongside it, which looks like draining alone:
// at 500 Mbit/s, 100 ms, a join 0.1–0.9 s late leaves it 13–39 % over 20 s
// in the simulator. CUBIC's fast convergence (a deeper cut when the rate at
// a cut is below the last one's) cut the unequal cases by two thirds but
// cost a lone flow 2–4 points on noisy and lossy paths and left fair 18 %
// next to CUBIC; shorter acceleration rounds and a larger step changed
// little.
package pacer
