// Package engine is JetStream's paced, encrypted, resumable UDP transfer engine.
//
// One Endpoint owns one UDP socket and multiplexes many Sessions on it by the 32-bit
// conversation id in every datagram header (package wire). A Session moves the files
// of one transfer from a Source (the sending side) to a Sink (the receiving side); who
// connects and who accepts is independent of who sends.
//
// Each session has two channels:
//
//   - control: reliable, ordered messages (offer, resume state, file metadata in
//     batches, chunk digests, per-file done/result, finish) on kcp-go's KCP ARQ, whose
//     segments travel in sealed Control datagrams;
//   - data: blocks sent at the rate chosen by the rate controller whether or not acks
//     have arrived, acknowledged by aggregate range reports (wire.Ack) that also carry
//     timestamps for RTT, one-way-delay and delivery-rate samples. Blocks found missing
//     are re-sent ahead of new ones within the same paced budget. Both ends date a
//     datagram by the kernel's arrival stamp (SO_TIMESTAMPNS), not by when the session
//     got to it: a reader or session a busy host left unscheduled for 50 ms would
//     otherwise show the rate controller a 50 ms queue (on the WAN bench, 36 such
//     spikes in a 19 s transfer before, none after). The receiver adds its standing
//     lag, the least wait of the last 50 ms of arrivals (lagFilter), so a backlog it
//     cannot work off still reads as the queue it is.
//
// A session costs the data one round trip before the first block and none after
// the last result: a sink with no saved state for the transfer says so in its
// hello (wire.HelloFresh), so the source lists and sends at once instead of
// waiting for the OfferAck that would carry that state; and the sink sends
// Complete right after its last FileResult, so the source finishes as soon as
// it has every result. The sink keeps its saved state until the source
// confirms (Finish, or KCP's ack of Complete), else a resume would start over.
//
// Files are laid out in one block space: file i occupies blocks
// [FirstBlock, FirstBlock+ceil(size/blockSize)). Many small files therefore share one
// transfer without a round trip per file.
//
// # Crypto
//
// The Ticket (from the TLS API) carries a key and a cipher level. The hello exchange
// carries a random from each side; the session key is HKDF-SHA256(ticket key,
// connector random || acceptor random), so even a reused ticket never reuses a nonce.
// The nonce is the direction bit and the 64-bit packet number. Level 0 appends a
// CRC-32C (no secrecy, no authentication: tests and trusted networks only), level 1
// appends an AES-GCM tag over the whole cleartext packet, levels 2 and 3 encrypt the
// payload with AES-128-GCM or AES-256-GCM. The 16-byte header is associated data.
// Datagrams that fail authentication or repeat a packet number (sliding replay window)
// are dropped before any other work and counted in EndpointStats.
//
// # Integrity and resume
//
// Files are hashed in chunks of ChunkBlocks blocks (about 1 MiB) with SHA-256 (SHA-NI
// on current CPUs hashes at several GB/s); the file hash is the SHA-256 of the chunk
// digests. The sender streams chunk digests as it reads; the receiver hashes in-order
// data as it arrives (reading back only chunks that completed out of order), checkpoints
// its received-block ranges together with both sides' chunk digests, and compares the
// file hash sent with FileDone before it commits the file. After an interruption the
// receiver returns its saved state for the TransferKey; the sender skips acknowledged
// blocks and re-reads only chunks whose digest it never sent, so neither side re-hashes
// whole files.
//
// # Landing files
//
// DiskSink writes every file into a partfile ".<name>.<key>.jetpart" next to its
// target and, once the hash matched, applies the overwrite mode: 0 never and 2 same
// size are checked when the file is opened, before any data is written (and again
// at commit), 3 never keeps the
// partfile when the target exists, 1 and 4 replace, 5 replaces and keeps the old
// file as <name>.jetbak; "never" commits use link(2), which fails atomically when
// the target appeared meanwhile. File mode and mtime are applied before the rename.
//
// # Performance structure
//
// One owner goroutine per session; the endpoint's reader goroutine authenticates
// and demultiplexes (recvmmsg); the sender reads and hashes ahead on its own
// goroutine, straight into pooled datagram buffers; sends are batched (sendmmsg,
// UDP GSO for runs of equal-size datagrams when the kernel has it) and received
// runs arrive as UDP GRO aggregates that the reader splits. The pacer releases
// about a millisecond of data at a time (one GSO message), not a datagram per
// wake-up. The receiver coalesces small in-order writes, starts the kernel's
// write-back every 16 MiB of a file (so the commit's fsync finds little dirty),
// and leaves opens, commits (fsync, rename) and checkpoint syncs to a small pool
// of disk workers so acks keep flowing; commits that arrive together share one
// syncfs while the host has little dirty data. When nothing new is left to
// send, blocks unacknowledged a round trip after they left are resent at once
// (no later block can reveal a tail loss), and every resend goes out twice. Rates count IP and UDP headers. Kill
// switches: JETSTREAM_NO_BATCH=1, JETSTREAM_NO_GSO=1, JETSTREAM_NO_GRO=1, JETSTREAM_NO_RXTS=1,
// JETSTREAM_NO_GROUP_SYNC=1, JETSTREAM_NO_WRITE_BEHIND=1.
package engine
