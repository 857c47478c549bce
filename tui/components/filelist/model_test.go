package filelist

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/tui/common"
	"github.com/jetstream-go/jetstream/tui/styles"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func entries() []common.Entry {
	return []common.Entry{
		{Name: "b.txt", Size: 300, ModTime: t0.Add(2 * time.Hour)},
		{Name: "A.txt", Size: 100, ModTime: t0.Add(3 * time.Hour)},
		{Name: "zdir", Dir: true, ModTime: t0},
		{Name: ".hidden", Size: 5, ModTime: t0},
		{Name: "c.bin", Size: 200, ModTime: t0.Add(time.Hour)},
		{Name: "adir", Dir: true, ModTime: t0.Add(time.Hour)},
	}
}

func names(es []common.Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Name
	}
	return out
}

func TestSortFilterHidden(t *testing.T) {
	tests := []struct {
		name  string
		setup func(m *Model)
		want  []string
	}{
		{"by name, dirs first, case-insensitive", func(*Model) {}, []string{"adir", "zdir", "A.txt", "b.txt", "c.bin"}},
		{"reverse", func(m *Model) { m.ToggleReverse() }, []string{"zdir", "adir", "c.bin", "b.txt", "A.txt"}},
		{"by size", func(m *Model) { m.CycleSort() }, []string{"adir", "zdir", "A.txt", "c.bin", "b.txt"}},
		{"by time", func(m *Model) { m.CycleSort(); m.CycleSort() }, []string{"zdir", "adir", "c.bin", "b.txt", "A.txt"}},
		{"sort wraps to name", func(m *Model) { m.CycleSort(); m.CycleSort(); m.CycleSort() }, []string{"adir", "zdir", "A.txt", "b.txt", "c.bin"}},
		{"hidden shown", func(m *Model) { m.ToggleHidden() }, []string{"adir", "zdir", ".hidden", "A.txt", "b.txt", "c.bin"}},
		{"filter", func(m *Model) { m.SetFilter("TXT") }, []string{"A.txt", "b.txt"}},
		{"filter nothing", func(m *Model) { m.SetFilter("nope") }, []string{}},
	}
	for _, tt := range tests {
		var m Model
		m.SetHeight(10)
		m.SetEntries(entries())
		tt.setup(&m)
		if got := names(m.Visible()); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCursorMarksSelection(t *testing.T) {
	var m Model
	m.SetHeight(3)
	m.SetEntries(entries())
	if e, _ := m.Current(); e.Name != "adir" {
		t.Fatalf("cursor starts on %q", e.Name)
	}
	if got := names(m.Selection()); !reflect.DeepEqual(got, []string{"adir"}) {
		t.Errorf("selection without marks = %v", got)
	}
	m.Move(2)
	m.ToggleMark() // A.txt
	m.Bottom()
	m.ToggleMark() // c.bin
	if got := names(m.Selection()); !reflect.DeepEqual(got, []string{"A.txt", "c.bin"}) {
		t.Errorf("selection = %v", got)
	}
	win, first := m.Window()
	if first != 2 || len(win) != 3 {
		t.Errorf("window after Bottom = %v from %d", names(win), first)
	}
	// A filter hides c.bin but it stays selected, after the visible ones.
	m.SetFilter("a")
	if got := names(m.Selection()); !reflect.DeepEqual(got, []string{"A.txt", "c.bin"}) {
		t.Errorf("selection with a filter = %v", got)
	}
	m.SetFilter("")
	if e, _ := m.Current(); e.Name != "A.txt" {
		t.Errorf("cursor after clearing the filter on %q, want A.txt", e.Name)
	}
	m.Select("c.bin")
	m.CycleSort()
	if e, _ := m.Current(); e.Name != "c.bin" {
		t.Errorf("cursor after sorting on %q, want c.bin", e.Name)
	}
	m.CycleSort()
	m.CycleSort()
	// Reload without A.txt: its mark goes, the cursor stays on c.bin.
	es := entries()
	es = append(es[:1], es[2:]...)
	m.SetEntries(es)
	if e, _ := m.Current(); e.Name != "c.bin" {
		t.Errorf("cursor after reload on %q", e.Name)
	}
	if m.MarkedCount() != 1 || !m.IsMarked("c.bin") {
		t.Errorf("marks after reload: %d", m.MarkedCount())
	}
	m.MarkAll()
	if m.MarkedCount() != 4 {
		t.Errorf("MarkAll marked %d", m.MarkedCount())
	}
	m.MarkAll()
	if m.MarkedCount() != 0 {
		t.Errorf("second MarkAll left %d marks", m.MarkedCount())
	}
	m.Top()
	m.Page(1)
	if m.CursorIndex() != 3 {
		t.Errorf("page down from the top: cursor %d", m.CursorIndex())
	}
	m.Page(-5)
	if m.CursorIndex() != 0 {
		t.Errorf("page up past the top: cursor %d", m.CursorIndex())
	}
	m.Reset()
	if m.Len() != 0 || m.MarkedCount() != 0 || m.Filter() != "" {
		t.Error("Reset kept state")
	}
	if _, ok := m.Current(); ok {
		t.Error("an empty list has a current entry")
	}
	m.ToggleMark() // no panic on empty
}

func TestView(t *testing.T) {
	st := styles.NoColorStyles()
	var m Model
	m.SetHeight(4)
	m.SetEntries(append(entries(), common.Entry{Name: "evil\x1b[2J", Size: 1}))
	for _, w := range []int{20, 38, 60, 100} {
		v := m.View(st, w, true, time.UTC)
		lines := strings.Split(v, "\n")
		if len(lines) != 5 {
			t.Errorf("width %d: %d lines, want header + 4", w, len(lines))
		}
		for _, l := range lines {
			if len([]rune(l)) > w {
				t.Errorf("width %d: line too wide: %q", w, l)
			}
		}
		if !strings.HasPrefix(lines[1], "›") || !strings.Contains(lines[1], "adir/") {
			t.Errorf("width %d: cursor row = %q", w, lines[1])
		}
	}
	if v := m.View(st, 60, false, time.UTC); !strings.Contains(v, "· adir/") {
		t.Errorf("unfocused cursor glyph missing:\n%s", v)
	}
	if v := m.View(st, 100, true, time.UTC); !strings.Contains(v, "2026-01-02 03:04") {
		t.Errorf("long mtime missing at 100 cells:\n%s", v)
	}
	m.SetFilter("nothing")
	if v := m.View(st, 40, true, time.UTC); !strings.Contains(v, "(nothing matches)") {
		t.Errorf("empty filter result not explained:\n%s", v)
	}
	m.SetFilter("evil")
	if v := m.View(st, 40, true, time.UTC); strings.Contains(v, "\x1b[2J") {
		t.Error("a control sequence in a name reached the view")
	}
}
