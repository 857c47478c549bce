package engine

// replayWindow rejects packet numbers seen before or too old (sliding bitmap, as in
// RFC 6479 / WireGuard). Not safe for concurrent use.
type replayWindow struct {
	max   uint64
	any   bool
	words [replayWords]uint64
}

const (
	replayWords = 256 // 16384 packets of reordering tolerance
	replayBits  = replayWords * 64
)

// accept reports whether pn is new and records it.
func (w *replayWindow) accept(pn uint64) bool {
	if !w.any {
		w.any, w.max = true, pn
		w.set(pn)
		return true
	}
	if pn > w.max {
		diff := pn - w.max
		if diff >= replayBits {
			w.words = [replayWords]uint64{}
		} else {
			// clear the bits of numbers that slide into the window
			for i := w.max + 1; i <= pn && i-w.max <= replayBits; i++ {
				if i%64 == 0 && pn-i >= 63 {
					w.words[(i/64)%replayWords] = 0
					i += 63
					continue
				}
				w.words[(i/64)%replayWords] &^= 1 << (i % 64)
			}
		}
		w.max = pn
		w.set(pn)
		return true
	}
	if w.max-pn >= replayBits-64 {
		return false
	}
	word, bit := (pn/64)%replayWords, uint64(1)<<(pn%64)
	if w.words[word]&bit != 0 {
		return false
	}
	w.words[word] |= bit
	return true
}

func (w *replayWindow) set(pn uint64) { w.words[(pn/64)%replayWords] |= 1 << (pn % 64) }
