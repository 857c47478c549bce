package tui_test

import (
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"github.com/jetstream-go/jetstream/daemon/api"
)

func TestGoldenLocations(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			f := newFixture()
			tm, _ := start(t, f.options(), sz.w, sz.h)
			waitFor(t, tm, "alpha.example.net", "beta")
			teatest.RequireEqualOutput(t, []byte(finalView(t, tm)))
		})
	}
}

func TestGoldenFiles(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			f := newFixture()
			opts := f.options()
			opts.Target, opts.Password = "alpha", "pw"
			tm, _ := start(t, opts, sz.w, sz.h)
			waitFor(t, tm, "home:", "video.mp4")
			teatest.RequireEqualOutput(t, []byte(finalView(t, tm)))
		})
	}
}

func TestGoldenTransfers(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			f := newFixture()
			tm, _ := connected(t, f, sz.w, sz.h)
			press(tm, "3")
			waitFor(t, tm, "tr-0001-", "tr-0004-")
			acked := int64(1_363_148_800)
			for i, rate := range []float64{380_000, 410_000, 250_000, 430_000, 480_000} {
				acked += int64(rate * 1000 / 8)
				f.alpha.Stream.Push(progress("tr-0001-video", now.Add(time.Duration(i+1)*time.Second), rate, acked))
			}
			waitFor(t, tm, "480 Mb/s")
			teatest.RequireEqualOutput(t, []byte(finalView(t, tm)))
		})
	}
}

func TestGoldenTransferDetails(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			f := newFixture()
			tm, _ := connected(t, f, sz.w, sz.h)
			press(tm, "3")
			waitFor(t, tm, "tr-0001-", "tr-0004-")
			press(tm, "enter")
			waitFor(t, tm, "notes.txt → notes.txt")
			teatest.RequireEqualOutput(t, []byte(finalView(t, tm)))
		})
	}
}

func TestGoldenEvents(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			f := newFixture()
			tm, _ := connected(t, f, sz.w, sz.h)
			press(tm, "4")
			waitFor(t, tm, "transferCompleted")
			f.alpha.Stream.Push(api.Event{Name: "transferStarted", Timestamp: us(now), Seq: 4,
				Fields: map[string]any{"transferId": "tr-0002-genome", "note": "evil\x1b[2Jname"}})
			waitFor(t, tm, "transferStarted")
			teatest.RequireEqualOutput(t, []byte(finalView(t, tm)))
		})
	}
}

func TestGoldenInfo(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			f := newFixture()
			tm, _ := connected(t, f, sz.w, sz.h)
			press(tm, "5")
			waitFor(t, tm, "srv-alpha")
			teatest.RequireEqualOutput(t, []byte(finalView(t, tm)))
		})
	}
}

func TestGoldenConflict(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			f := newFixture()
			tm, _ := connected(t, f, sz.w, sz.h)
			press(tm, "enter") // open data:
			waitFor(t, tm, "genome.fa")
			press(tm, "tab", "down", "down", "f5") // local report.pdf → data:/
			waitFor(t, tm, "Overwrite?")
			teatest.RequireEqualOutput(t, []byte(finalView(t, tm)))
		})
	}
}

func TestGoldenPassword(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			f := newFixture()
			opts := f.options()
			opts.Target = "bob@alpha"
			f.conn.Clients["bob@alpha"] = f.alpha
			tm, _ := start(t, opts, sz.w, sz.h)
			waitFor(t, tm, "Password of bob")
			tm.Type("secret")
			waitFor(t, tm, "••••••")
			teatest.RequireEqualOutput(t, []byte(finalView(t, tm)))
		})
	}
}

func TestGoldenLocationForm(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			f := newFixture()
			tm, _ := start(t, f.options(), sz.w, sz.h)
			waitFor(t, tm, "beta")
			press(tm, "down", "e")
			waitFor(t, tm, "Edit location alpha")
			press(tm, "down", "down", "down", "down")
			tm.Type("x")
			press(tm, "enter")
			waitFor(t, tm, "invalid rate")
			teatest.RequireEqualOutput(t, []byte(finalView(t, tm)))
		})
	}
}

func TestGoldenFullHelp(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			f := newFixture()
			tm, _ := connected(t, f, sz.w, sz.h)
			press(tm, "?")
			waitFor(t, tm, "hidden files")
			teatest.RequireEqualOutput(t, []byte(finalView(t, tm)))
		})
	}
}
