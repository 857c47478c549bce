package browser

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/jetstream-go/jetstream/tui/common"
	"github.com/jetstream-go/jetstream/tui/components/dialog"
	"github.com/jetstream-go/jetstream/tui/components/textfield"
)

// dialogKind tells what the open dialog is for.
type dialogKind int

const (
	dlgNone dialogKind = iota
	dlgMkdir
	dlgMove
	dlgDelete
	dlgGoTo
	dlgConflict
	dlgRename
)

// Model is the browser screen.
type Model struct {
	common.Common
	panes  [2]*pane
	active common.Side

	kind    dialogKind
	prompt  *dialog.Prompt
	confirm *dialog.Confirm
	choice  *dialog.Choice

	pendingPaths []string       // delete: full paths
	pendingMove  []common.Entry // move: entries of the active pane
	pendingSrc   Source         // source of the pending operation
	pendingDir   string         // its directory

	du    duState
	spin  spinner.Model
	queue *queueState
	qSeq  int
}

type duState struct {
	seq     int
	running bool
	side    common.Side
	dir     string
	line    string
}

// New returns a browser with both panes on the local file system; the
// root model puts sessions into panes with SetSource.
func New(c common.Common, local common.LocalFS) *Model {
	m := &Model{Common: c, active: common.Right}
	src := Local{FS: local}
	m.panes[common.Left] = newPane(src)
	m.panes[common.Right] = newPane(src)
	m.spin = spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(c.Styles.Spinner))
	return m
}

// Init loads both panes.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.load(common.Left, ""), m.load(common.Right, ""))
}

// SetSource shows src in a pane and loads it.
func (m *Model) SetSource(side common.Side, src Source) tea.Cmd {
	p := m.panes[side]
	p.setSource(src)
	p.autoEnter = src.Session() != nil
	if m.du.side == side {
		m.du = duState{seq: m.du.seq + 1}
	}
	return m.load(side, "")
}

// Reload lists both panes' directories again, keeping cursors and marks
// (after a transfer completed, say, so that its files show).
func (m *Model) Reload() tea.Cmd {
	var cmds []tea.Cmd
	for _, side := range []common.Side{common.Left, common.Right} {
		if p := m.panes[side]; p.loaded && !p.loading {
			cmds = append(cmds, m.load(side, ""))
		}
	}
	return tea.Batch(cmds...)
}

// SourceOf returns the source shown in a pane.
func (m *Model) SourceOf(side common.Side) Source { return m.panes[side].src }

// Dir returns the directory shown in a pane.
func (m *Model) Dir(side common.Side) string { return m.panes[side].dir }

// Active is the focused pane.
func (m *Model) Active() common.Side { return m.active }

// SetActive focuses a pane.
func (m *Model) SetActive(side common.Side) { m.active = side }

// SetSize implements common.Component.
func (m *Model) SetSize(w, h int) {
	m.Common.SetSize(w, h)
	lw := w / 2
	m.panes[common.Left].setSize(lw, h)
	m.panes[common.Right].setSize(w-lw, h)
}

// InputFocused implements common.InputFocus.
func (m *Model) InputFocused() bool {
	return m.kind != dlgNone || m.panes[m.active].filtering
}

// Help implements common.Component.
func (m *Model) Help() help.KeyMap {
	switch {
	case m.kind == dlgDelete:
		return m.Keys.DialogHelp()
	case m.kind == dlgConflict:
		return m.Keys.ConflictHelp()
	case m.kind != dlgNone || m.panes[m.active].filtering:
		return m.Keys.PromptHelp()
	}
	return m.Keys.BrowserHelp()
}

func (m *Model) other() common.Side { return 1 - m.active }

func (m *Model) load(side common.Side, selectName string) tea.Cmd {
	p := m.panes[side]
	p.loading = true
	src, dir, gen := p.src, p.dir, p.gen
	ctx, cancel := m.CallCtx()
	return common.SafeCmd(func() tea.Msg {
		defer cancel()
		es, err := src.List(ctx, dir)
		return listedMsg{side: side, gen: gen, dir: dir, entries: es, err: err, selectName: selectName}
	}, func(err error) tea.Msg {
		cancel()
		return listedMsg{side: side, gen: gen, dir: dir, err: err}
	})
}

// Update implements common.Component.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return m, m.handleKey(msg)
	case listedMsg:
		return m, m.onListed(msg)
	case duMsg:
		return m, m.onDu(msg)
	case opDoneMsg:
		return m, m.onOpDone(msg)
	case destListedMsg:
		return m, m.onDestListed(msg)
	case spinner.TickMsg:
		if !m.du.running {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m *Model) onListed(msg listedMsg) tea.Cmd {
	p := m.panes[msg.side]
	if msg.gen != p.gen || msg.dir != p.dir {
		return nil // stale: the pane moved on
	}
	p.loading = false
	if msg.err != nil {
		p.err = msg.err.Error()
		p.autoEnter = false
		return common.Fail("list "+p.src.Label(), msg.err)
	}
	p.err = ""
	p.loaded = true
	p.list.SetEntries(msg.entries)
	if msg.selectName != "" {
		p.list.Select(msg.selectName)
	}
	if p.autoEnter {
		p.autoEnter = false
		if p.dir == "" && len(msg.entries) == 1 {
			p.chdir(p.src.Join("", msg.entries[0].Name))
			return m.load(msg.side, "")
		}
	}
	return nil
}

func (m *Model) handleKey(k tea.KeyMsg) tea.Cmd {
	if m.kind != dlgNone {
		return m.handleDialogKey(k)
	}
	p := m.panes[m.active]
	if p.filtering {
		return m.handleFilterKey(p, k)
	}
	km := m.Keys
	switch {
	case key.Matches(k, km.Up):
		p.list.Move(-1)
	case key.Matches(k, km.Down):
		p.list.Move(1)
	case key.Matches(k, km.PageUp):
		p.list.Page(-1)
	case key.Matches(k, km.PageDown):
		p.list.Page(1)
	case key.Matches(k, km.Top):
		p.list.Top()
	case key.Matches(k, km.Bottom):
		p.list.Bottom()
	case key.Matches(k, km.Open):
		return m.open()
	case key.Matches(k, km.Parent):
		return m.parent()
	case key.Matches(k, km.SwitchPane):
		m.active = m.other()
	case key.Matches(k, km.Mark):
		p.list.ToggleMark()
		p.list.Move(1)
	case key.Matches(k, km.MarkAll):
		p.list.MarkAll()
	case key.Matches(k, km.Hidden):
		p.list.ToggleHidden()
	case key.Matches(k, km.Sort):
		p.list.CycleSort()
	case key.Matches(k, km.Reverse):
		p.list.ToggleReverse()
	case key.Matches(k, km.Filter):
		p.filtering = true
		p.filter = textfield.New(p.list.Filter())
	case key.Matches(k, km.Reload):
		return m.load(m.active, "")
	case key.Matches(k, km.Du):
		return m.startDu()
	case key.Matches(k, km.GoTo):
		m.openPrompt(dlgGoTo, "Go to path", p.dir, "absolute, or relative to the current directory")
	case key.Matches(k, km.Copy):
		return m.startCopy()
	case key.Matches(k, km.Move):
		return m.startMove()
	case key.Matches(k, km.Mkdir):
		if p.dir == "" {
			return common.Info("open a root first: directories are made inside a root")
		}
		m.openPrompt(dlgMkdir, "New directory in "+displayDir(p), "", "")
	case key.Matches(k, km.Delete):
		return m.startDelete()
	}
	return nil
}

func (m *Model) handleFilterKey(p *pane, k tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.Keys.Back):
		p.filtering = false
		p.list.SetFilter("")
	case k.Type == tea.KeyEnter:
		p.filtering = false
	case k.Type == tea.KeyUp || k.Type == tea.KeyDown:
		p.filtering = false
		return m.handleKey(k)
	default:
		p.filter = p.filter.Update(k)
		p.list.SetFilter(p.filter.Value())
	}
	return nil
}

func (m *Model) open() tea.Cmd {
	p := m.panes[m.active]
	e, ok := p.list.Current()
	if !ok {
		return nil
	}
	if !e.Dir && !e.Root {
		return common.Info("%s is not a directory: F5 copies it to the other pane", e.Name)
	}
	p.chdir(p.src.Join(p.dir, e.Name))
	return m.load(m.active, "")
}

func (m *Model) parent() tea.Cmd {
	p := m.panes[m.active]
	up, ok := p.src.Parent(p.dir)
	if !ok {
		return nil
	}
	crumbs := p.src.Crumbs(p.dir)
	from := ""
	if len(crumbs) > 1 {
		from = crumbs[len(crumbs)-1]
	}
	p.chdir(up)
	return m.load(m.active, from)
}

func displayDir(p *pane) string {
	if p.dir == "" {
		return p.src.Label() + " (roots)"
	}
	return p.src.Label() + " " + p.dir
}
