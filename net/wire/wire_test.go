package wire

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

func TestHeaderRoundTrip(t *testing.T) {
	tests := []Header{
		{Type: TypeHello, Conv: 1, PN: 0},
		{Type: TypeData, Conv: 0xFFFFFFFF, PN: 1<<64 - 1},
		{Type: TypeAck, Conv: 42, PN: 7},
	}
	for _, h := range tests {
		b := AppendHeader(nil, h)
		if len(b) != HeaderLen {
			t.Fatalf("len %d", len(b))
		}
		var p [HeaderLen]byte
		PutHeader(p[:], h)
		if !bytes.Equal(b, p[:]) {
			t.Fatalf("PutHeader and AppendHeader differ: %x vs %x", p, b)
		}
		got, err := ParseHeader(b)
		if err != nil || got != h {
			t.Fatalf("ParseHeader(%x) = %+v, %v; want %+v", b, got, err, h)
		}
	}
}

func TestParseHeaderErrors(t *testing.T) {
	good := AppendHeader(nil, Header{Type: TypeData, Conv: 3, PN: 9})
	mod := func(i int, v byte) []byte { b := bytes.Clone(good); b[i] = v; return b }
	tests := []struct {
		name string
		pkt  []byte
		want error
	}{
		{"empty", nil, ErrShort},
		{"short", good[:15], ErrShort},
		{"magic", mod(0, 'X'), ErrBadMagic},
		{"version", mod(2, 9), ErrBadVersion},
		{"type zero", mod(3, 0), ErrBadType},
		{"type big", mod(3, 99), ErrBadType},
	}
	for _, tc := range tests {
		if _, err := ParseHeader(tc.pkt); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestDataRoundTrip(t *testing.T) {
	b := AppendData(nil, 1<<40+3, 123456, []byte("hello"))
	blk, ts, data, err := ParseData(b)
	if err != nil || blk != 1<<40+3 || ts != 123456 || string(data) != "hello" {
		t.Fatalf("got %d %d %q %v", blk, ts, data, err)
	}
	var h [DataHeaderLen]byte
	PutDataHeader(h[:], 1<<40+3, 123456)
	if !bytes.Equal(h[:], b[:DataHeaderLen]) {
		t.Fatal("PutDataHeader differs from AppendData")
	}
	if _, _, _, err := ParseData(b[:DataHeaderLen]); !errors.Is(err, ErrEmptyBlock) {
		t.Fatalf("empty block: %v", err)
	}
	if _, _, _, err := ParseData(b[:5]); !errors.Is(err, ErrTruncated) {
		t.Fatalf("truncated: %v", err)
	}
}

func TestAckRoundTrip(t *testing.T) {
	tests := []Ack{
		{},
		{EchoTime: 1, HoldDelay: 2, RecvTime: 3, DeliveryRate: 1e9, Cum: 100},
		{Cum: 5, Ranges: []AckRange{{Start: 7, End: 9}, {Start: 10, End: 11}, {Start: 1000, End: 5000, Detached: true}}},
		{Cum: 0, Ranges: []AckRange{{Start: 0, End: 1, Detached: true}}},
		{Cum: 1<<63 - 1, Ranges: []AckRange{{Start: 1 << 63, End: 1<<64 - 1}}},
	}
	for i, a := range tests {
		if err := a.Validate(); err != nil {
			t.Fatalf("%d: validate: %v", i, err)
		}
		b := AppendAck(nil, &a)
		var got Ack
		if err := DecodeAck(b, &got); err != nil {
			t.Fatalf("%d: decode: %v", i, err)
		}
		if len(got.Ranges) == 0 {
			got.Ranges = nil
		}
		if !reflect.DeepEqual(got, a) {
			t.Fatalf("%d: got %+v want %+v", i, got, a)
		}
	}
}

func TestAckInvalid(t *testing.T) {
	tests := []struct {
		name string
		a    Ack
	}{
		{"empty range", Ack{Ranges: []AckRange{{Start: 3, End: 3}}}},
		{"below cum", Ack{Cum: 10, Ranges: []AckRange{{Start: 3, End: 4}}}},
		{"overlap", Ack{Ranges: []AckRange{{Start: 3, End: 6}, {Start: 5, End: 9}}}},
		{"adjacent", Ack{Ranges: []AckRange{{Start: 3, End: 6}, {Start: 6, End: 9}}}},
	}
	for _, tc := range tests {
		if err := tc.a.Validate(); !errors.Is(err, ErrBadRanges) {
			t.Errorf("%s: validate = %v", tc.name, err)
		}
	}
	// A zero-length range on the wire.
	b := AppendAck(nil, &Ack{})
	b = b[:len(b)-1]
	b = append(b, 1, 0, 0)
	var a Ack
	if err := DecodeAck(b, &a); err == nil {
		t.Error("zero length range accepted")
	}
	// A huge count with no bytes behind it.
	b = AppendAck(nil, &Ack{})
	b = append(b[:len(b)-1], 0xff, 0x7f)
	if err := DecodeAck(b, &a); err == nil {
		t.Error("huge count accepted")
	}
	// Overflowing range end.
	b = AppendAck(nil, &Ack{Cum: 1<<64 - 2})
	b = append(b[:len(b)-1], 1, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)
	if err := DecodeAck(b, &a); err == nil {
		t.Error("overflowing range accepted")
	}
}

func TestHelloRoundTrip(t *testing.T) {
	h := Hello{Role: RoleSink, MaxPacket: 1472, Flags: HelloFresh}
	h.Random[0], h.Echo[15] = 1, 2
	b := AppendHello(nil, &h)
	got, err := DecodeHello(b)
	if err != nil || got != h {
		t.Fatalf("got %+v %v", got, err)
	}
	bad := []struct {
		name string
		p    []byte
	}{
		{"short", b[:10]},
		{"version 1 length", b[:len(b)-1]},
		{"role", append(append(bytes.Clone(b[:32]), 7), b[33:]...)},
		{"small packet", AppendHello(nil, &Hello{Role: RoleSource, MaxPacket: 100})},
		{"big packet", AppendHello(nil, &Hello{Role: RoleSource, MaxPacket: 70000})},
	}
	for _, tc := range bad {
		if _, err := DecodeHello(tc.p); err == nil {
			t.Errorf("%s accepted", tc.name)
		}
	}
}

func TestDiscover(t *testing.T) {
	b, err := AppendDiscover(nil, "abc123")
	if err != nil {
		t.Fatal(err)
	}
	id, err := DecodeDiscover(b)
	if err != nil || id != "abc123" {
		t.Fatalf("got %q %v", id, err)
	}
	if _, err := AppendDiscover(nil, ""); err == nil {
		t.Error("empty id accepted")
	}
	if _, err := AppendDiscover(nil, string(make([]byte, 200))); err == nil {
		t.Error("long id accepted")
	}
	if _, err := DecodeDiscover(b[:len(b)-1]); err == nil {
		t.Error("truncated discover accepted")
	}
	if _, err := DecodeDiscover(AppendHeader(nil, Header{Type: TypeData})); err == nil {
		t.Error("data packet accepted as discover")
	}
}

func sampleMsgs() []Msg {
	var sum [32]byte
	for i := range sum {
		sum[i] = byte(i)
	}
	return []Msg{
		Offer{BlockSize: 1400, ChunkBlocks: 750, Flags: OfferNoRead},
		Resume{Files: []ResumeFile{
			{Index: 3, Path: "a/b.txt", Size: 99, Mtime: -5, Ranges: []Range{{0, 2}, {5, 9}}, Digests: []Digest{{Chunk: 0, Sum: sum}}},
			{Index: 4, Path: "c", Done: true, Code: "exists"},
		}},
		OfferAck{},
		Files{Files: []FileMeta{
			{Index: 0, Path: "x/y", Size: 1 << 40, Mode: 0o100644, Mtime: 1700000000123456789, FirstBlock: 0},
			{Index: 1, Path: "dir", Mode: 0o20000000755, Flags: FileEmptyDir | FileResumed, FirstBlock: 12},
		}},
		EndOfList{Files: 10000, Blocks: 1 << 33},
		Digests{Digests: []FileDigest{{File: 1, Digest: Digest{Chunk: 2, Sum: sum}}}},
		FileDone{File: 7, Hash: sum},
		FileDone{File: 8, Unverified: true},
		FileFailed{File: 9, Code: "source_changed", Msg: "size changed"},
		FileResult{File: 9, Code: "", Hash: sum},
		Finish{},
		Complete{},
		Abort{Code: "disk_full", Msg: "no space left on device"},
		Ping{},
	}
}

func TestControlRoundTrip(t *testing.T) {
	var stream []byte
	msgs := sampleMsgs()
	for _, m := range msgs {
		stream = AppendMsg(stream, m)
	}
	for i, want := range msgs {
		// Every strict prefix of the next message is incomplete.
		_, n, err := SplitMsg(stream)
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		for cut := 0; cut < n; cut++ {
			if _, _, err := SplitMsg(stream[:cut]); !errors.Is(err, ErrIncomplete) {
				t.Fatalf("%d: prefix %d: %v", i, cut, err)
			}
		}
		got, _, _ := SplitMsg(stream)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%d: got %+v want %+v", i, got, want)
		}
		stream = stream[n:]
	}
	if len(stream) != 0 {
		t.Fatalf("%d bytes left", len(stream))
	}
}

func TestControlErrors(t *testing.T) {
	tests := []struct {
		name string
		b    []byte
	}{
		{"unknown type", []byte{99, 0}},
		{"trailing bytes", []byte{byte(MsgPing), 1, 0}},
		{"short offer", []byte{byte(MsgOffer), 2, 0, 0}},
		{"huge length", []byte{byte(MsgPing), 0xff, 0xff, 0xff, 0xff, 0x0f}},
		{"huge batch", []byte{byte(MsgFiles), 3, 0xff, 0xff, 0x03}},
		{"long code", append([]byte{byte(MsgAbort), 3, 100}, 1, 2)},
	}
	for _, tc := range tests {
		if _, _, err := SplitMsg(tc.b); err == nil || errors.Is(err, ErrIncomplete) {
			t.Errorf("%s: err = %v", tc.name, err)
		}
	}
}

func TestTruncatesLongStrings(t *testing.T) {
	long := string(bytes.Repeat([]byte("x"), 5000))
	b := AppendMsg(nil, Abort{Code: long, Msg: long})
	m, _, err := SplitMsg(b)
	if err != nil {
		t.Fatal(err)
	}
	a := m.(Abort)
	if len(a.Code) != MaxCode || len(a.Msg) != MaxErrMsg {
		t.Fatalf("lengths %d %d", len(a.Code), len(a.Msg))
	}
}
