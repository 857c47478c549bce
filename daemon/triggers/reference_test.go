package triggers

import (
	"os"
	"strings"
	"testing"
)

// TRIGGERS.md must be what Markdown generates (go test -run
// TestTriggersMarkdown -update rewrites it).
func TestTriggersMarkdown(t *testing.T) {
	got := Markdown()
	if *update {
		if err := os.WriteFile("TRIGGERS.md", []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("TRIGGERS.md")
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Error("TRIGGERS.md is stale: run go test ./daemon/triggers -run TestTriggersMarkdown -update")
	}
}

// Every trigger ForEvent can produce is documented, and every documented
// event trigger is produced by some daemon event.
func TestEventsDocumentEveryTrigger(t *testing.T) {
	documented := map[string]bool{}
	for _, e := range Events() {
		documented[e.Name] = true
		if e.When == "" || len(e.Args) == 0 {
			t.Errorf("%s: incomplete documentation", e.Name)
		}
	}
	produced := map[string]bool{}
	for _, ev := range []string{EventServerStarted, EventDestinationCreated, EventDestinationDeleted, EventRecvTransferStarted,
		EventRecvTransferComplete, EventRecvTransferFailed, EventTransferComplete, EventTransferFailed} {
		calls := ForEvent(ev, nil)
		if len(calls) == 0 {
			t.Errorf("event %s starts no trigger", ev)
		}
		for _, c := range calls {
			produced[c.Name] = true
			if !documented[c.Name] {
				t.Errorf("trigger %s is not documented", c.Name)
			}
			var doc EventDoc
			for _, e := range Events() {
				if e.Name == c.Name {
					doc = e
				}
			}
			if len(c.Args) > len(doc.Args) {
				t.Errorf("%s passes %d arguments, documents %d", c.Name, len(c.Args), len(doc.Args))
			}
		}
	}
	for name := range documented {
		if !produced[name] && !strings.HasPrefix(name, APIPrefix) {
			t.Errorf("documented trigger %s is never started", name)
		}
	}
}
