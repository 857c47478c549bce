package pacer

import "time"

// Sample is what one ACK report tells the sender. Zero fields mean "not
// measured"; negative counts and non-finite rates are ignored.
type Sample struct {
	// Now is when the report arrived at the sender.
	Now Time
	// RTT is a round-trip sample from the sender's echoed timestamp
	// (0 = none).
	RTT time.Duration
	// OneWayDelay is the receiver's receive time minus the sender's send
	// time of the newest block. The clock offset between the hosts is
	// unknown and may make it negative; only its variation above the
	// running minimum (the queueing delay) is used. 0 = none.
	OneWayDelay time.Duration
	// AckedBytes is the number of bytes newly acknowledged by this report.
	AckedBytes int64
	// LostBytes is the number of bytes newly declared lost by this report.
	LostBytes int64
	// DeliveryRate is the receiver-measured goodput over the report
	// interval in bytes/s (0 = unknown: the controller then derives one
	// from AckedBytes).
	DeliveryRate float64
}

// State is a point-in-time snapshot of a Controller, for statistics.
type State struct {
	Policy Policy
	// Phase is "startup", "drain", "steady" or "fixed".
	Phase string
	// Rate is the current target sending rate in bytes/s.
	Rate float64
	// MinRate and MaxRate are the limits in force (MaxRate 0 = none).
	MinRate, MaxRate float64
	// BtlBw is the bottleneck bandwidth estimate in bytes/s: the windowed
	// maximum of the delivery rate (0 = no estimate yet).
	BtlBw float64
	// SRTT is the smoothed round-trip time and MinRTT its windowed minimum
	// (0 = no RTT sample yet).
	SRTT, MinRTT time.Duration
	// QueueDelay is the filtered queueing delay: one-way delay (or RTT)
	// above its windowed minimum.
	QueueDelay time.Duration
	// Target is the queueing-delay target of the policy in force.
	Target time.Duration
	// LossRatio is a moving average of lost/(acked+lost) per report.
	LossRatio float64
}

// phase is the controller's internal mode.
type phase int

const (
	phaseStartup phase = iota // multiplicative probing from InitialRate
	phaseDrain                // below the bottleneck until the startup queue is gone
	phaseSteady               // AIMD around the queueing-delay target
	phaseFixed                // policy fixed: no feedback
)

var phaseNames = [...]string{
	phaseStartup: "startup",
	phaseDrain:   "drain",
	phaseSteady:  "steady",
	phaseFixed:   "fixed",
}

func (p phase) String() string { return phaseNames[p] }
