package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// MsgType identifies a control message.
type MsgType uint8

// Control message types.
const (
	MsgOffer      MsgType = 1  // source -> sink: transfer parameters
	MsgResume     MsgType = 2  // sink -> source: a batch of the saved state for this transfer
	MsgOfferAck   MsgType = 3  // sink -> source: offer accepted, all Resume batches sent
	MsgFiles      MsgType = 4  // source -> sink: a batch of file metadata
	MsgEndOfList  MsgType = 5  // source -> sink: no more files
	MsgDigests    MsgType = 6  // source -> sink: chunk digests
	MsgFileDone   MsgType = 7  // source -> sink: every block of a file acked; its hash
	MsgFileFailed MsgType = 8  // source -> sink: a file failed on the sending side
	MsgFileResult MsgType = 9  // sink -> source: final outcome of a file
	MsgFinish     MsgType = 10 // source -> sink: every result received; the sink may drop its state
	MsgComplete   MsgType = 11 // sink -> source: every file has its result; sent unasked after the last
	MsgAbort      MsgType = 12 // either way: fatal session error
	MsgPing       MsgType = 13 // either way: keepalive
)

// Limits on control messages.
const (
	MaxMsgLen     = 4 << 20 // largest encoded control message body
	MaxPath       = 4096    // longest target path
	MaxBatch      = 4096    // most entries in one batch message
	MaxErrMsg     = 1024    // longest error message
	MaxCode       = 64      // longest error code
	MaxFileRanges = 65536   // most ranges saved for one file
)

// Msg is a control message.
type Msg interface {
	Type() MsgType
	appendBody(b []byte) []byte
}

// Range is a half-open interval [Start, End) of block indices.
type Range struct{ Start, End uint64 }

// Offer opens a transfer: the source's block geometry and flags.
type Offer struct {
	BlockSize   uint32 // bytes per block (the last block of a file may be short)
	ChunkBlocks uint32 // blocks per hashed chunk
	Flags       uint32 // OfferNoRead ...
}

// Offer flags.
const (
	OfferNoRead uint32 = 1 << 0 // the source sends zeros and no digests
)

// ResumeFile is a file's saved state at the sink, in file-relative block numbers.
type ResumeFile struct {
	Index   uint64
	Path    string
	Size    uint64
	Mtime   int64 // Unix nanoseconds
	Done    bool  // committed in an earlier session
	Code    string
	Ranges  []Range  // received blocks (file relative)
	Digests []Digest // chunk digests the source sent earlier
}

// Digest is the SHA-256 of one chunk of a file.
type Digest struct {
	Chunk uint64
	Sum   [32]byte
}

// Resume carries a batch of saved file states.
type Resume struct{ Files []ResumeFile }

// OfferAck ends the resume exchange.
type OfferAck struct{}

// FileMeta describes one file (or empty directory) of the transfer.
type FileMeta struct {
	Index      uint64
	Path       string // target path, '/'-separated, as the sender named it
	Size       uint64
	Mode       uint32 // permission bits and type bits as io/fs.FileMode
	Mtime      int64  // Unix nanoseconds
	FirstBlock uint64 // first block of the file in the transfer's block space
	Flags      uint32 // FileEmptyDir, FileResumed
}

// FileMeta flags.
const (
	FileEmptyDir uint32 = 1 << 0 // an empty directory, no data
	FileResumed  uint32 = 1 << 1 // keep the sink's saved state for this file
)

// Files is a batch of file metadata.
type Files struct{ Files []FileMeta }

// EndOfList says the file list is complete.
type EndOfList struct{ Files, Blocks uint64 }

// FileDigest is a chunk digest of one file.
type FileDigest struct {
	File uint64
	Digest
}

// Digests is a batch of chunk digests.
type Digests struct{ Digests []FileDigest }

// FileDone says every block of File was acknowledged; Hash is the file hash (the
// SHA-256 of its chunk digests) unless Unverified.
type FileDone struct {
	File       uint64
	Hash       [32]byte
	Unverified bool
}

// FileFailed reports a sending-side failure of one file.
type FileFailed struct {
	File uint64
	Code string
	Msg  string
}

// FileResult is the sink's final word on a file; Code "" means success.
type FileResult struct {
	File uint64
	Code string
	Msg  string
	Hash [32]byte
}

// Finish tells the sink that the source has every result, so the sink may
// drop its saved state.
type Finish struct{}

// Complete tells the source that every file has its result. The sink sends it
// unasked right after the last FileResult, so the source finishes without a
// round trip more; the sink keeps its saved state until Finish arrives or the
// control stream confirms Complete was delivered.
type Complete struct{}

// Abort ends the session with an error code and message.
type Abort struct{ Code, Msg string }

// Ping keeps an idle session alive.
type Ping struct{}

// Type implements Msg.
func (Offer) Type() MsgType { return MsgOffer }

// Type implements Msg.
func (Resume) Type() MsgType { return MsgResume }

// Type implements Msg.
func (OfferAck) Type() MsgType { return MsgOfferAck }

// Type implements Msg.
func (Files) Type() MsgType { return MsgFiles }

// Type implements Msg.
func (EndOfList) Type() MsgType { return MsgEndOfList }

// Type implements Msg.
func (Digests) Type() MsgType { return MsgDigests }

// Type implements Msg.
func (FileDone) Type() MsgType { return MsgFileDone }

// Type implements Msg.
func (FileFailed) Type() MsgType { return MsgFileFailed }

// Type implements Msg.
func (FileResult) Type() MsgType { return MsgFileResult }

// Type implements Msg.
func (Finish) Type() MsgType { return MsgFinish }

// Type implements Msg.
func (Complete) Type() MsgType { return MsgComplete }

// Type implements Msg.
func (Abort) Type() MsgType { return MsgAbort }

// Type implements Msg.
func (Ping) Type() MsgType { return MsgPing }

// AppendMsg appends the framed encoding of m (type, uvarint length, body) to b.
func AppendMsg(b []byte, m Msg) []byte {
	start := len(b)
	b = append(b, byte(m.Type()))
	// Reserve the maximum uvarint length, then compact.
	b = append(b, make([]byte, binary.MaxVarintLen32)...)
	bodyStart := len(b)
	b = m.appendBody(b)
	n := len(b) - bodyStart
	var lb [binary.MaxVarintLen64]byte
	ln := binary.PutUvarint(lb[:], uint64(n))
	hole := start + 1
	copy(b[hole:], lb[:ln])
	copy(b[hole+ln:], b[bodyStart:])
	return b[:hole+ln+n]
}

// ErrIncomplete is returned by SplitMsg when buf holds only part of a message.
var ErrIncomplete = errors.New("wire: incomplete control message")

// SplitMsg decodes the first framed message in buf and returns it with the number of
// bytes consumed. It returns ErrIncomplete when more bytes are needed.
func SplitMsg(buf []byte) (Msg, int, error) {
	if len(buf) < 2 {
		return nil, 0, ErrIncomplete
	}
	t := MsgType(buf[0])
	n, ln := binary.Uvarint(buf[1:])
	if ln == 0 {
		return nil, 0, ErrIncomplete
	}
	if ln < 0 || n > MaxMsgLen {
		return nil, 0, fmt.Errorf("wire: control message length exceeds %d", MaxMsgLen)
	}
	total := 1 + ln + int(n)
	if len(buf) < total {
		return nil, 0, ErrIncomplete
	}
	m, err := DecodeMsg(t, buf[1+ln:total])
	return m, total, err
}

// DecodeMsg decodes a control message body of type t.
func DecodeMsg(t MsgType, body []byte) (Msg, error) {
	r := reader{b: body}
	var m Msg
	switch t {
	case MsgOffer:
		m = Offer{BlockSize: r.u32(), ChunkBlocks: r.u32(), Flags: r.u32()}
	case MsgResume:
		m = decodeResume(&r)
	case MsgOfferAck:
		m = OfferAck{}
	case MsgFiles:
		m = decodeFiles(&r)
	case MsgEndOfList:
		m = EndOfList{Files: r.uvarint(), Blocks: r.uvarint()}
	case MsgDigests:
		n := r.count("digest", MaxBatch*4, 33)
		d := make([]FileDigest, n)
		for i := range d {
			d[i] = FileDigest{File: r.uvarint(), Digest: Digest{Chunk: r.uvarint(), Sum: r.sum()}}
		}
		m = Digests{Digests: d}
	case MsgFileDone:
		m = FileDone{File: r.uvarint(), Hash: r.sum(), Unverified: r.u8() != 0}
	case MsgFileFailed:
		m = FileFailed{File: r.uvarint(), Code: r.str("code", MaxCode), Msg: r.str("message", MaxErrMsg)}
	case MsgFileResult:
		m = FileResult{File: r.uvarint(), Code: r.str("code", MaxCode), Msg: r.str("message", MaxErrMsg), Hash: r.sum()}
	case MsgFinish:
		m = Finish{}
	case MsgComplete:
		m = Complete{}
	case MsgAbort:
		m = Abort{Code: r.str("code", MaxCode), Msg: r.str("message", MaxErrMsg)}
	case MsgPing:
		m = Ping{}
	default:
		return nil, fmt.Errorf("wire: unknown control message type %d", t)
	}
	if err := r.done(); err != nil {
		return nil, fmt.Errorf("wire: decoding control message %d: %w", t, err)
	}
	return m, nil
}

func (m Offer) appendBody(b []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, m.BlockSize)
	b = binary.BigEndian.AppendUint32(b, m.ChunkBlocks)
	return binary.BigEndian.AppendUint32(b, m.Flags)
}

func (m Resume) appendBody(b []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(m.Files)))
	for _, f := range m.Files {
		b = binary.AppendUvarint(b, f.Index)
		b = appendString(b, f.Path)
		b = binary.AppendUvarint(b, f.Size)
		b = appendVarint(b, f.Mtime)
		done := byte(0)
		if f.Done {
			done = 1
		}
		b = append(b, done)
		b = appendString(b, f.Code)
		b = appendRanges(b, f.Ranges)
		b = binary.AppendUvarint(b, uint64(len(f.Digests)))
		for _, d := range f.Digests {
			b = binary.AppendUvarint(b, d.Chunk)
			b = append(b, d.Sum[:]...)
		}
	}
	return b
}

func decodeResume(r *reader) Resume {
	n := r.count("resume file", MaxBatch, 8)
	files := make([]ResumeFile, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		f := ResumeFile{Index: r.uvarint(), Path: r.str("path", MaxPath), Size: r.uvarint(), Mtime: r.varint()}
		f.Done = r.u8() != 0
		f.Code = r.str("code", MaxCode)
		f.Ranges = decodeRanges(r)
		nd := r.count("digest", 1<<24, 33)
		if nd > 0 {
			f.Digests = make([]Digest, nd)
			for j := range f.Digests {
				f.Digests[j] = Digest{Chunk: r.uvarint(), Sum: r.sum()}
			}
		}
		files = append(files, f)
	}
	return Resume{Files: files}
}

func appendRanges(b []byte, rs []Range) []byte {
	b = binary.AppendUvarint(b, uint64(len(rs)))
	var prev uint64
	for _, r := range rs {
		b = binary.AppendUvarint(b, r.Start-prev)
		b = binary.AppendUvarint(b, r.End-r.Start)
		prev = r.End
	}
	return b
}

func decodeRanges(r *reader) []Range {
	n := r.count("range", MaxFileRanges, 2)
	if n == 0 {
		return nil
	}
	rs := make([]Range, 0, n)
	var prev uint64
	for i := 0; i < n && r.err == nil; i++ {
		gap, l := r.uvarint(), r.uvarint()
		if r.err != nil {
			break
		}
		if l == 0 || (i > 0 && gap == 0) || gap > ^uint64(0)-prev || l > ^uint64(0)-prev-gap {
			r.fail(ErrBadRanges)
			break
		}
		s := prev + gap
		rs = append(rs, Range{Start: s, End: s + l})
		prev = s + l
	}
	return rs
}

func (m Files) appendBody(b []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(m.Files)))
	for _, f := range m.Files {
		b = binary.AppendUvarint(b, f.Index)
		b = appendString(b, f.Path)
		b = binary.AppendUvarint(b, f.Size)
		b = binary.AppendUvarint(b, uint64(f.Mode))
		b = appendVarint(b, f.Mtime)
		b = binary.AppendUvarint(b, f.FirstBlock)
		b = binary.AppendUvarint(b, uint64(f.Flags))
	}
	return b
}

func decodeFiles(r *reader) Files {
	n := r.count("file", MaxBatch, 7)
	files := make([]FileMeta, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		f := FileMeta{Index: r.uvarint(), Path: r.str("path", MaxPath), Size: r.uvarint()}
		mode := r.uvarint()
		f.Mtime = r.varint()
		f.FirstBlock = r.uvarint()
		flags := r.uvarint()
		if mode > 0xFFFFFFFF || flags > 0xFFFFFFFF {
			r.fail(errors.New("wire: file mode or flags out of range"))
		}
		f.Mode, f.Flags = uint32(mode), uint32(flags)
		files = append(files, f)
	}
	return Files{Files: files}
}

func (m EndOfList) appendBody(b []byte) []byte {
	b = binary.AppendUvarint(b, m.Files)
	return binary.AppendUvarint(b, m.Blocks)
}

func (m Digests) appendBody(b []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(m.Digests)))
	for _, d := range m.Digests {
		b = binary.AppendUvarint(b, d.File)
		b = binary.AppendUvarint(b, d.Chunk)
		b = append(b, d.Sum[:]...)
	}
	return b
}

func (m FileDone) appendBody(b []byte) []byte {
	b = binary.AppendUvarint(b, m.File)
	b = append(b, m.Hash[:]...)
	if m.Unverified {
		return append(b, 1)
	}
	return append(b, 0)
}

func (m FileFailed) appendBody(b []byte) []byte {
	b = binary.AppendUvarint(b, m.File)
	b = appendString(b, truncate(m.Code, MaxCode))
	return appendString(b, truncate(m.Msg, MaxErrMsg))
}

func (m FileResult) appendBody(b []byte) []byte {
	b = binary.AppendUvarint(b, m.File)
	b = appendString(b, truncate(m.Code, MaxCode))
	b = appendString(b, truncate(m.Msg, MaxErrMsg))
	return append(b, m.Hash[:]...)
}

func (m Abort) appendBody(b []byte) []byte {
	b = appendString(b, truncate(m.Code, MaxCode))
	return appendString(b, truncate(m.Msg, MaxErrMsg))
}

func (OfferAck) appendBody(b []byte) []byte { return b }
func (Finish) appendBody(b []byte) []byte   { return b }
func (Complete) appendBody(b []byte) []byte { return b }
func (Ping) appendBody(b []byte) []byte     { return b }

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
