package keys

import (
	"flag"
	"testing"

	"github.com/charmbracelet/bubbles/key"
)

// -update regenerates golden files in tui; accepted here so that
// `go test ./tui/... -update` runs every package.
var _ = flag.Bool("update", false, "update .golden files (none in this package)")

// TestNoClashes fails when one key triggers two actions on the same screen.
func TestNoClashes(t *testing.T) {
	k := DefaultKeyMap()
	global := []key.Binding{k.Quit, k.ForceQuit, k.Help, k.Locations, k.Files, k.Transfers, k.Events, k.Info}
	lists := []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Filter, k.Reload}
	screens := map[string][]key.Binding{
		"browser": append(append(append([]key.Binding{}, global...), lists...), k.Open, k.Parent, k.SwitchPane, k.Mark,
			k.MarkAll, k.Hidden, k.Sort, k.Reverse, k.Du, k.GoTo, k.Copy, k.Move, k.Mkdir, k.Delete),
		"transfers": append(append(append([]key.Binding{}, global...), k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Reload),
			k.Details, k.Suspend, k.Resume, k.Cancel, k.PriorityUp, k.PriorityDown),
		"locations": append(append([]key.Binding{}, global...), k.Up, k.Down, k.Top, k.Bottom, k.Connect, k.ConnectLeft,
			k.Add, k.Edit, k.Remove, k.Back),
		"dialog": {k.Yes, k.No, k.ForceQuit},
	}
	for name, bs := range screens {
		seen := map[string]string{}
		for _, b := range bs {
			for _, key := range b.Keys() {
				if other, ok := seen[key]; ok {
					t.Errorf("%s: %q is bound to %q and %q", name, key, other, b.Help().Desc)
				}
				seen[key] = b.Help().Desc
			}
		}
	}
}

func TestHelpComplete(t *testing.T) {
	k := DefaultKeyMap()
	for name, h := range map[string]Help{
		"browser": k.BrowserHelp(), "transfers": k.TransfersHelp(), "events": k.EventsHelp(), "info": k.InfoHelp(),
		"locations": k.LocationsHelp(), "form": k.FormHelp(), "dialog": k.DialogHelp(), "prompt": k.PromptHelp(),
		"conflict": k.ConflictHelp(),
	} {
		if len(h.ShortHelp()) == 0 || len(h.FullHelp()) == 0 {
			t.Errorf("%s: empty help", name)
		}
		for _, b := range h.ShortHelp() {
			if b.Help().Key == "" || b.Help().Desc == "" {
				t.Errorf("%s: a binding without help text: %v", name, b.Keys())
			}
		}
	}
}
