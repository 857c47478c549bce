package linkemu

import (
	"testing"
	"time"
)

func TestDelayLineOrderAndCapacity(t *testing.T) {
	d := newDelayLine(5)
	departs := []time.Duration{30, 10, 20, 10, 40}
	heads := []bool{true, true, false, false, false}
	for i, dep := range departs {
		added, head := d.push(packet{n: i, depart: dep})
		if !added || head != heads[i] {
			t.Fatalf("push %d (depart %v): added=%v head=%v, want true/%v", i, dep, added, head, heads[i])
		}
	}
	if added, _ := d.push(packet{depart: 1}); added {
		t.Fatal("push beyond capacity succeeded")
	}
	out, next, ok := d.popDue(20, nil)
	// Due: the two 10s in arrival order (n=1 then n=3), then 20 (n=2).
	if len(out) != 3 || out[0].n != 1 || out[1].n != 3 || out[2].n != 2 {
		t.Fatalf("popDue(20) = %+v", out)
	}
	if !ok || next != 30 {
		t.Fatalf("next = %v, %v; want 30, true", next, ok)
	}
	out, _, ok = d.popDue(100, out[:0])
	if len(out) != 2 || out[0].n != 0 || out[1].n != 4 || ok {
		t.Fatalf("popDue(100) = %+v, ok=%v", out, ok)
	}
}

func TestDelayLineFIFOForEqualTimes(t *testing.T) {
	d := newDelayLine(1000)
	for i := range 1000 {
		d.push(packet{n: i, depart: time.Duration(i / 100)})
	}
	out, _, _ := d.popDue(time.Hour, nil)
	for i, p := range out {
		if p.n != i {
			t.Fatalf("position %d holds packet %d", i, p.n)
		}
	}
}

func TestBufPoolRejectsForeignBuffers(t *testing.T) {
	p := newBufPool(64)
	b := p.get()
	if len(*b) != 64 {
		t.Fatalf("len %d", len(*b))
	}
	*b = (*b)[:10]
	p.put(b)
	if b2 := p.get(); len(*b2) != 64 {
		t.Fatalf("reused buffer has len %d, want 64", len(*b2))
	}
	defer func() {
		if recover() == nil {
			t.Fatal("foreign buffer accepted")
		}
	}()
	foreign := make([]byte, 32)
	p.put(&foreign)
}
