package linkemu

import "math/rand/v2"

// lossModel decides, packet by packet, whether the wire loses a packet:
// Bernoulli loss and a Gilbert–Elliott chain, either of which may drop it.
type lossModel struct {
	rng  *rand.Rand
	p    float64
	ge   GilbertElliott
	bad  bool
	geOn bool
}

func newLossModel(p float64, ge GilbertElliott, rng *rand.Rand) lossModel {
	return lossModel{rng: rng, p: p, ge: ge, geOn: ge.Enabled()}
}

// lost reports whether the next packet is lost and advances the chain.
// Random draws are made only for enabled parts, so a loss-free link uses no
// randomness and two models with the same seed and config agree exactly.
func (m *lossModel) lost() bool {
	drop := false
	if m.p > 0 && m.rng.Float64() < m.p {
		drop = true
	}
	if m.geOn {
		lossHere := m.ge.LossGood
		if m.bad {
			lossHere = m.ge.LossBad
		}
		if lossHere > 0 && m.rng.Float64() < lossHere {
			drop = true
		}
		if m.bad {
			if m.rng.Float64() < m.ge.R {
				m.bad = false
			}
		} else if m.rng.Float64() < m.ge.P {
			m.bad = true
		}
	}
	return drop
}
