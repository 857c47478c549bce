package filelist

import (
	"strings"

	"github.com/jetstream-go/jetstream/tui/common"
)

// Model is the state of one pane's list. The zero value is an empty list
// sorted by name with hidden files shown off.
type Model struct {
	all     []common.Entry // as loaded
	visible []common.Entry // filtered and sorted
	marked  map[string]bool
	cursor  int
	offset  int
	height  int // rows available for entries (for paging and scrolling)

	sortKey    SortKey
	reverse    bool
	showHidden bool
	filter     string
}

// SetEntries replaces the entries (after a load). The cursor stays on the
// entry of the same name when there is one; marks of vanished names go.
func (m *Model) SetEntries(es []common.Entry) {
	cur, ok := m.Current()
	m.all = append(m.all[:0:0], es...)
	names := make(map[string]bool, len(es))
	for _, e := range es {
		names[e.Name] = true
	}
	for n := range m.marked {
		if !names[n] {
			delete(m.marked, n)
		}
	}
	m.rebuild()
	if ok {
		m.Select(cur.Name)
	}
}

// Reset empties the list for a new directory: marks, filter and cursor go.
func (m *Model) Reset() {
	m.all, m.visible, m.marked = nil, nil, nil
	m.cursor, m.offset, m.filter = 0, 0, ""
}

func (m *Model) rebuild() {
	cur, had := m.Current()
	defer func() {
		if had {
			m.Select(cur.Name) // the cursor follows its entry when it stays visible
		}
	}()
	m.visible = m.visible[:0:0]
	f := strings.ToLower(m.filter)
	for _, e := range m.all {
		if !m.showHidden && strings.HasPrefix(e.Name, ".") {
			continue
		}
		if f != "" && !strings.Contains(strings.ToLower(e.Name), f) {
			continue
		}
		m.visible = append(m.visible, e)
	}
	sortEntries(m.visible, m.sortKey, m.reverse)
	m.clamp()
}

func (m *Model) clamp() {
	n := len(m.visible)
	if m.cursor >= n {
		m.cursor = n - 1
	}
	if m.cursor < 0 {
		m.cursor = 0
	}
	h := max(m.height, 1)
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+h {
		m.offset = m.cursor - h + 1
	}
	if m.offset > max(n-h, 0) {
		m.offset = max(n-h, 0)
	}
	if m.offset < 0 {
		m.offset = 0
	}
}

// SetHeight sets how many entry rows the view shows.
func (m *Model) SetHeight(h int) { m.height = max(h, 0); m.clamp() }

// Len is the number of visible entries.
func (m *Model) Len() int { return len(m.visible) }

// Total is the number of loaded entries, hidden and filtered ones included.
func (m *Model) Total() int { return len(m.all) }

// Visible returns the visible entries in display order.
func (m *Model) Visible() []common.Entry { return m.visible }

// Current is the entry under the cursor.
func (m *Model) Current() (common.Entry, bool) {
	if m.cursor < 0 || m.cursor >= len(m.visible) {
		return common.Entry{}, false
	}
	return m.visible[m.cursor], true
}

// CursorIndex is the cursor's position among the visible entries.
func (m *Model) CursorIndex() int { return m.cursor }

// Select puts the cursor on the named entry if it is visible.
func (m *Model) Select(name string) bool {
	for i, e := range m.visible {
		if e.Name == name {
			m.cursor = i
			m.clamp()
			return true
		}
	}
	return false
}

// Move moves the cursor by delta rows, clamped to the list.
func (m *Model) Move(delta int) { m.cursor += delta; m.clamp() }

// Page moves the cursor by pages (negative = up).
func (m *Model) Page(pages int) { m.Move(pages * max(m.height, 1)) }

// Top moves the cursor to the first entry.
func (m *Model) Top() { m.cursor = 0; m.clamp() }

// Bottom moves the cursor to the last entry.
func (m *Model) Bottom() { m.cursor = len(m.visible) - 1; m.clamp() }

// ToggleMark marks or unmarks the entry under the cursor.
func (m *Model) ToggleMark() {
	e, ok := m.Current()
	if !ok {
		return
	}
	if m.marked == nil {
		m.marked = map[string]bool{}
	}
	if m.marked[e.Name] {
		delete(m.marked, e.Name)
	} else {
		m.marked[e.Name] = true
	}
}

// MarkAll marks every visible entry, or clears the marks when all visible
// entries are marked already.
func (m *Model) MarkAll() {
	all := len(m.visible) > 0
	for _, e := range m.visible {
		if !m.marked[e.Name] {
			all = false
			break
		}
	}
	if all {
		m.marked = nil
		return
	}
	if m.marked == nil {
		m.marked = map[string]bool{}
	}
	for _, e := range m.visible {
		m.marked[e.Name] = true
	}
}

// ClearMarks unmarks everything.
func (m *Model) ClearMarks() { m.marked = nil }

// IsMarked reports whether the named entry is marked.
func (m *Model) IsMarked(name string) bool { return m.marked[name] }

// MarkedCount is the number of marked entries.
func (m *Model) MarkedCount() int { return len(m.marked) }

// Selection is what an operation acts on: the marked entries in display
// order (marked but filtered-out ones included, after the visible ones),
// or the entry under the cursor when nothing is marked.
func (m *Model) Selection() []common.Entry {
	if len(m.marked) == 0 {
		if e, ok := m.Current(); ok {
			return []common.Entry{e}
		}
		return nil
	}
	out := make([]common.Entry, 0, len(m.marked))
	seen := map[string]bool{}
	for _, e := range m.visible {
		if m.marked[e.Name] {
			out = append(out, e)
			seen[e.Name] = true
		}
	}
	for _, e := range m.all {
		if m.marked[e.Name] && !seen[e.Name] {
			out = append(out, e)
			seen[e.Name] = true
		}
	}
	return out
}

// SetFilter shows only names containing f (case-insensitive).
func (m *Model) SetFilter(f string) { m.filter = f; m.rebuild() }

// Filter is the current filter text.
func (m *Model) Filter() string { return m.filter }

// ToggleHidden shows or hides dot files.
func (m *Model) ToggleHidden() { m.showHidden = !m.showHidden; m.rebuild() }

// ShowHidden reports whether dot files are shown.
func (m *Model) ShowHidden() bool { return m.showHidden }

// CycleSort switches to the next sort key.
func (m *Model) CycleSort() { m.sortKey = (m.sortKey + 1) % numSortKeys; m.rebuild() }

// ToggleReverse reverses the sort order.
func (m *Model) ToggleReverse() { m.reverse = !m.reverse; m.rebuild() }

// Sort returns the sort key and direction.
func (m *Model) Sort() (SortKey, bool) { return m.sortKey, m.reverse }

// Window returns the visible entries that fit the height and the index of
// the first one.
func (m *Model) Window() ([]common.Entry, int) {
	h := max(m.height, 0)
	end := min(m.offset+h, len(m.visible))
	return m.visible[m.offset:end], m.offset
}
