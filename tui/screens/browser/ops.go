package browser

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/jetstream-go/jetstream/tui/common"
	"github.com/jetstream-go/jetstream/tui/components/dialog"
	"github.com/jetstream-go/jetstream/tui/format"
)

func (m *Model) openPrompt(kind dialogKind, title, value, hint string) *dialog.Prompt {
	m.kind = kind
	m.prompt = dialog.NewPrompt(title, value, false)
	m.prompt.Hint = hint
	return m.prompt
}

func (m *Model) closeDialog() {
	m.kind, m.prompt, m.confirm, m.choice = dlgNone, nil, nil, nil
}

func (m *Model) handleDialogKey(k tea.KeyMsg) tea.Cmd {
	switch m.kind {
	case dlgDelete:
		switch m.confirm.Update(k, m.Keys) {
		case dialog.Accepted:
			m.closeDialog()
			return m.runDelete()
		case dialog.Cancelled:
			m.closeDialog()
			return common.Info("nothing deleted")
		}
	case dlgConflict:
		switch m.choice.Update(k, m.Keys) {
		case dialog.Accepted:
			choice := m.choice.Chosen()
			m.closeDialog()
			return m.resolveConflict(choice)
		case dialog.Cancelled:
			m.closeDialog()
			m.queue = nil
			return common.Info("transfer not queued")
		}
	default:
		switch m.prompt.Update(k, m.Keys) {
		case dialog.Accepted:
			kind, value := m.kind, m.prompt.Value()
			m.closeDialog()
			return m.promptDone(kind, value)
		case dialog.Cancelled:
			kind := m.kind
			m.closeDialog()
			if kind == dlgRename {
				m.queue = nil
				return common.Info("transfer not queued")
			}
		}
	}
	return nil
}

func (m *Model) promptDone(kind dialogKind, value string) tea.Cmd {
	p := m.panes[m.active]
	switch kind {
	case dlgGoTo:
		dir := p.src.Abs(p.dir, value)
		p.chdir(dir)
		return m.load(m.active, "")
	case dlgMkdir:
		name := strings.TrimSpace(value)
		if err := validName(name); err != nil {
			return common.Fail("mkdir", err)
		}
		src, path := p.src, p.src.Join(p.dir, name)
		return m.runOp("created "+name, src, name, func(ctx context.Context) error {
			return src.Mkdir(ctx, path)
		})
	case dlgMove:
		return m.runMove(strings.TrimSpace(value))
	case dlgRename:
		return m.renameChosen(strings.TrimSpace(value))
	}
	return nil
}

// validName checks a single new file or directory name.
func validName(name string) error {
	switch {
	case name == "":
		return errors.New("the name is empty")
	case name == "." || name == "..":
		return fmt.Errorf("%q is not a valid name", name)
	case strings.ContainsAny(name, "/\\"):
		return fmt.Errorf("%q: a name cannot contain / or \\", name)
	case format.Sanitize(name) != name:
		return fmt.Errorf("%q: a name cannot contain control characters", format.Sanitize(name))
	}
	return nil
}

// selectionNames is the selection of a pane, refusing the roots list.
func (m *Model) selection(p *pane) ([]common.Entry, error) {
	if p.dir == "" {
		return nil, errors.New("roots cannot be changed: open one first")
	}
	sel := p.list.Selection()
	if len(sel) == 0 {
		return nil, errors.New("nothing selected")
	}
	return sel, nil
}

func (m *Model) startDelete() tea.Cmd {
	p := m.panes[m.active]
	sel, err := m.selection(p)
	if err != nil {
		return common.Fail("delete", err)
	}
	m.pendingPaths = m.pendingPaths[:0]
	lines := []string{fmt.Sprintf("Delete %s from %s?", plural(len(sel), "item"), format.Sanitize(displayDir(p)))}
	for i, e := range sel {
		m.pendingPaths = append(m.pendingPaths, p.src.Join(p.dir, e.Name))
		if i < 4 {
			suffix := ""
			if e.Dir {
				suffix = "/ (with everything in it)"
			}
			lines = append(lines, "  "+format.Sanitize(e.Name)+suffix)
		}
	}
	if len(sel) > 4 {
		lines = append(lines, fmt.Sprintf("  …and %d more", len(sel)-4))
	}
	lines = append(lines, "This cannot be undone.")
	m.pendingSrc = p.src
	m.kind = dlgDelete
	m.confirm = &dialog.Confirm{Title: "Delete", Lines: lines}
	return nil
}

func (m *Model) runDelete() tea.Cmd {
	src, paths := m.pendingSrc, append([]string(nil), m.pendingPaths...)
	return m.runOp("deleted "+plural(len(paths), "item"), src, "", func(ctx context.Context) error {
		var errs []error
		for _, p := range paths {
			if err := src.Remove(ctx, p); err != nil {
				errs = append(errs, err)
			}
		}
		return errors.Join(errs...)
	})
}

func (m *Model) startMove() tea.Cmd {
	p, o := m.panes[m.active], m.panes[m.other()]
	sel, err := m.selection(p)
	if err != nil {
		return common.Fail("rename/move", err)
	}
	same := sameSource(p.src, o.src) && o.dir != "" && o.dir != p.dir
	m.pendingMove, m.pendingSrc, m.pendingDir = sel, p.src, p.dir
	if len(sel) == 1 {
		value := sel[0].Name
		if same {
			value = o.src.Join(o.dir, sel[0].Name)
		}
		m.openPrompt(dlgMove, "Rename/move "+format.Sanitize(sel[0].Name)+" to", value,
			"a new name, or a path on the same "+hostWord(p.src))
		return nil
	}
	value := p.dir
	if same {
		value = o.dir
	}
	m.openPrompt(dlgMove, "Move "+plural(len(sel), "item")+" to directory", value,
		"a directory on the same "+hostWord(p.src))
	return nil
}

func hostWord(s Source) string {
	if s.Session() == nil {
		return "machine"
	}
	return "server"
}

func (m *Model) runMove(value string) tea.Cmd {
	if value == "" {
		return common.Fail("rename/move", errors.New("no target given"))
	}
	src, dir, sel := m.pendingSrc, m.pendingDir, m.pendingMove
	target := src.Abs(dir, value)
	if len(sel) == 1 {
		from := src.Join(dir, sel[0].Name)
		if target == from {
			return nil
		}
		name := ""
		if parent, _ := src.Parent(target); parent == dir {
			crumbs := src.Crumbs(target)
			name = crumbs[len(crumbs)-1]
		}
		return m.runOp("moved "+sel[0].Name, src, name, func(ctx context.Context) error {
			return src.Move(ctx, from, target)
		})
	}
	return m.runOp("moved "+plural(len(sel), "item"), src, "", func(ctx context.Context) error {
		var errs []error
		for _, e := range sel {
			if err := src.Move(ctx, src.Join(dir, e.Name), src.Join(target, e.Name)); err != nil {
				errs = append(errs, err)
			}
		}
		return errors.Join(errs...)
	})
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
