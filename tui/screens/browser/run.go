package browser

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/jetstream-go/jetstream/tui/common"
	"github.com/jetstream-go/jetstream/tui/format"
)

// runOp runs fn in a command and reports it; the panes showing src are
// reloaded afterwards and selectName is selected in the active pane.
func (m *Model) runOp(what string, src Source, selectName string, fn func(context.Context) error) tea.Cmd {
	var sides []common.Side
	for _, s := range []common.Side{common.Left, common.Right} {
		if sameSource(m.panes[s].src, src) {
			sides = append(sides, s)
		}
	}
	ctx, cancel := m.CallCtx()
	return common.SafeCmd(func() tea.Msg {
		defer cancel()
		err := fn(ctx)
		return opDoneMsg{what: what, err: err, reload: sides, selectName: selectName}
	}, func(err error) tea.Msg {
		cancel()
		return opDoneMsg{what: what, err: err, reload: sides}
	})
}

func (m *Model) onOpDone(msg opDoneMsg) tea.Cmd {
	m.panes[m.active].list.ClearMarks()
	cmds := make([]tea.Cmd, 0, len(msg.reload)+1)
	for _, s := range msg.reload {
		sel := ""
		if s == m.active {
			sel = msg.selectName
		}
		cmds = append(cmds, m.load(s, sel))
	}
	if msg.err != nil {
		cmds = append(cmds, common.Fail(format.Sanitize(msg.what)+" failed", msg.err))
	} else {
		cmds = append(cmds, common.OK("%s", format.Sanitize(msg.what)))
	}
	return tea.Batch(cmds...)
}

func (m *Model) startDu() tea.Cmd {
	p := m.panes[m.active]
	sel := p.list.Selection()
	if len(sel) == 0 {
		return common.Info("nothing selected")
	}
	paths := make([]string, len(sel))
	for i, e := range sel {
		paths[i] = p.src.Join(p.dir, e.Name)
	}
	m.du = duState{seq: m.du.seq + 1, running: true, side: m.active, dir: p.dir}
	seq, src := m.du.seq, p.src
	ctx, cancel := m.CallCtx()
	run := common.SafeCmd(func() tea.Msg {
		defer cancel()
		var total int64
		for _, path := range paths {
			n, err := src.Du(ctx, path)
			if err != nil {
				return duMsg{seq: seq, err: err}
			}
			total += n
		}
		return duMsg{seq: seq, total: total, items: len(paths)}
	}, func(err error) tea.Msg {
		cancel()
		return duMsg{seq: seq, err: err}
	})
	return tea.Batch(m.spin.Tick, run)
}

func (m *Model) onDu(msg duMsg) tea.Cmd {
	if msg.seq != m.du.seq {
		return nil
	}
	m.du.running = false
	if msg.err != nil {
		m.du.line = ""
		return common.Fail("disk usage", msg.err)
	}
	m.du.line = "du " + format.Bytes(msg.total)
	return common.OK("disk usage of %s: %s", plural(msg.items, "item"), format.Bytes(msg.total))
}

// duLine is the du text for a pane's footer.
func (m *Model) duLine(side common.Side) string {
	if m.du.side != side || m.panes[side].dir != m.du.dir {
		return ""
	}
	if m.du.running {
		return m.spin.View() + " du…"
	}
	return m.du.line
}
