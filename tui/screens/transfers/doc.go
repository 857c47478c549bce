// Package transfers is the transfers view: one row per transfer of every
// connected server with a progress bar, bytes, rate, ETA, retransmission
// percentage, a live rate sparkline and the status; suspend, resume,
// cancel and priority changes; a details pane with the transfer's counters
// and files.
package transfers
