package wire

import (
	"reflect"
	"testing"
)

func FuzzParseHeader(f *testing.F) {
	f.Add(AppendHeader(nil, Header{Type: TypeData, Conv: 1, PN: 2}))
	f.Add([]byte("JS\x01\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ParseHeader(b)
		if err != nil {
			return
		}
		if got, err := ParseHeader(AppendHeader(nil, h)); err != nil || got != h {
			t.Fatalf("re-parse: %+v %v", got, err)
		}
	})
}

func FuzzDecodeData(f *testing.F) {
	f.Add(AppendData(nil, 5, 6, []byte("abc")))
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		blk, ts, data, err := ParseData(b)
		if err != nil {
			return
		}
		if len(data) == 0 {
			t.Fatal("empty data accepted")
		}
		b2 := AppendData(nil, blk, ts, data)
		if string(b2) != string(b) {
			t.Fatal("not canonical")
		}
	})
}

func FuzzDecodeAck(f *testing.F) {
	f.Add(AppendAck(nil, &Ack{Cum: 5, Ranges: []AckRange{{Start: 7, End: 9}, {Start: 100, End: 101, Detached: true}}}))
	f.Add(AppendAck(nil, &Ack{}))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		var a Ack
		if err := DecodeAck(b, &a); err != nil {
			return
		}
		if err := a.Validate(); err != nil {
			t.Fatalf("decoded ack invalid: %v", err)
		}
		var a2 Ack
		if err := DecodeAck(AppendAck(nil, &a), &a2); err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if len(a.Ranges) == 0 {
			a.Ranges, a2.Ranges = nil, nil
		}
		if !reflect.DeepEqual(a, a2) {
			t.Fatalf("round trip: %+v vs %+v", a, a2)
		}
	})
}

func FuzzDecodeHello(f *testing.F) {
	f.Add(AppendHello(nil, &Hello{Role: RoleSource, MaxPacket: 1472}))
	f.Add(make([]byte, HelloLen))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := DecodeHello(b)
		if err != nil {
			return
		}
		if h2, err := DecodeHello(AppendHello(nil, &h)); err != nil || h2 != h {
			t.Fatalf("round trip: %+v %v", h2, err)
		}
	})
}

func FuzzDecodeDiscover(f *testing.F) {
	b, _ := AppendDiscover(nil, "id-1")
	f.Add(b)
	f.Add(AppendHeader(nil, Header{Type: TypeDiscover}))
	f.Fuzz(func(t *testing.T, b []byte) {
		id, err := DecodeDiscover(b)
		if err != nil {
			return
		}
		b2, err := AppendDiscover(nil, id)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		if id2, err := DecodeDiscover(b2); err != nil || id2 != id {
			t.Fatalf("round trip %q %v", id2, err)
		}
	})
}

func FuzzSplitMsg(f *testing.F) {
	for _, m := range sampleMsgs() {
		f.Add(AppendMsg(nil, m))
	}
	f.Add([]byte{byte(MsgResume), 5, 1, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, n, err := SplitMsg(b)
		if err != nil {
			return
		}
		if n <= 0 || n > len(b) {
			t.Fatalf("consumed %d of %d", n, len(b))
		}
		m2, _, err := SplitMsg(AppendMsg(nil, m))
		if err != nil {
			t.Fatalf("re-decode %T: %v", m, err)
		}
		if !reflect.DeepEqual(m, m2) {
			t.Fatalf("round trip %+v vs %+v", m, m2)
		}
	})
}
