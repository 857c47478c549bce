package wire

import (
	"encoding/binary"
	"errors"
)

// DataHeaderLen is the size of the fixed part of a Data payload.
const DataHeaderLen = 12

// ErrEmptyBlock reports a Data payload without block bytes.
var ErrEmptyBlock = errors.New("wire: data packet carries no bytes")

// PutDataHeader writes the fixed part of a Data payload (block index and the
// sender's send time in microseconds) into b[:DataHeaderLen].
func PutDataHeader(b []byte, block uint64, sendTime uint32) {
	_ = b[DataHeaderLen-1]
	binary.BigEndian.PutUint64(b, block)
	binary.BigEndian.PutUint32(b[8:], sendTime)
}

// AppendData appends a complete Data payload to b.
func AppendData(b []byte, block uint64, sendTime uint32, data []byte) []byte {
	b = binary.BigEndian.AppendUint64(b, block)
	b = binary.BigEndian.AppendUint32(b, sendTime)
	return append(b, data...)
}

// ParseData decodes a Data payload. data aliases p.
func ParseData(p []byte) (block uint64, sendTime uint32, data []byte, err error) {
	if len(p) < DataHeaderLen {
		return 0, 0, nil, ErrTruncated
	}
	if len(p) == DataHeaderLen {
		return 0, 0, nil, ErrEmptyBlock
	}
	return binary.BigEndian.Uint64(p), binary.BigEndian.Uint32(p[8:]), p[DataHeaderLen:], nil
}
