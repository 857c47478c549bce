package peer

// RanOnProposal reports whether Wait ran the transfer on the session it
// dialled before the ticket's answer.
func (t *Transfer) RanOnProposal() bool { return t.onEarly }
