package browser

import (
	"errors"
	"fmt"
	"path"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/tui/common"
	"github.com/jetstream-go/jetstream/tui/components/dialog"
	"github.com/jetstream-go/jetstream/tui/format"
)

// queueState is a transfer being prepared: the destination is fixed when
// F5 is pressed, then each name conflict is resolved in turn.
type queueState struct {
	seq       int
	plan      plan
	srcLabel  string
	dstLabel  string
	items     []common.Entry
	existing  map[string]common.Entry
	taken     map[string]bool // target names in use (existing or chosen)
	idx       int
	all       string // "o", "s" or "r" once "all" was chosen
	files     []common.TransferFile
	overwrite bool
	skipped   int
}

// plan is where a transfer goes and who runs it.
type plan struct {
	session   *common.Session // the server StartTransfer is called on
	direction common.Direction
	src       Source
	srcDir    string
	dst       Source
	dstDir    string
}

// planTransfer decides the direction of a copy from src to dst.
func planTransfer(src Source, srcDir string, dst Source, dstDir string) (plan, error) {
	p := plan{src: src, srcDir: srcDir, dst: dst, dstDir: dstDir}
	ss, ds := src.Session(), dst.Session()
	switch {
	case ss == nil && ds == nil:
		return p, errors.New("both panes show local files: open a server in one of them (1 = locations)")
	case srcDir == "":
		return p, errors.New("roots cannot be copied: open a root and select files in it")
	case dstDir == "":
		return p, errors.New("open a directory in the other pane first: it is the destination")
	case ss == nil:
		p.session, p.direction = ds, common.Upload
	case ds == nil:
		p.session, p.direction = ss, common.Download
	default:
		p.session, p.direction = ss, common.RemoteToRemote
	}
	return p, nil
}

func (m *Model) startCopy() tea.Cmd {
	sp, dp := m.panes[m.active], m.panes[m.other()]
	pl, err := planTransfer(sp.src, sp.dir, dp.src, dp.dir)
	if err != nil {
		return common.Fail("copy", err)
	}
	sel := sp.list.Selection()
	if len(sel) == 0 {
		return common.Fail("copy", errors.New("nothing selected"))
	}
	m.qSeq++
	m.queue = &queueState{
		seq: m.qSeq, plan: pl, items: sel,
		srcLabel: displayDir(sp), dstLabel: displayDir(dp),
	}
	seq, dst, dir := m.qSeq, dp.src, dp.dir
	ctx, cancel := m.CallCtx()
	return tea.Batch(common.Info("checking %s for existing files…", format.Sanitize(m.queue.dstLabel)),
		common.SafeCmd(func() tea.Msg {
			defer cancel()
			es, err := dst.List(ctx, dir)
			return destListedMsg{seq: seq, entries: es, err: err}
		}, func(err error) tea.Msg {
			cancel()
			return destListedMsg{seq: seq, err: err}
		}))
}

func (m *Model) onDestListed(msg destListedMsg) tea.Cmd {
	q := m.queue
	if q == nil || q.seq != msg.seq {
		return nil
	}
	if msg.err != nil {
		m.queue = nil
		return common.Fail("copy: list destination", msg.err)
	}
	q.existing = make(map[string]common.Entry, len(msg.entries))
	q.taken = make(map[string]bool, len(msg.entries))
	for _, e := range msg.entries {
		q.existing[e.Name] = e
		q.taken[e.Name] = true
	}
	return m.advance()
}

// advance adds items until a conflict needs an answer, then submits.
func (m *Model) advance() tea.Cmd {
	q := m.queue
	for q.idx < len(q.items) {
		it := q.items[q.idx]
		if _, clash := q.existing[it.Name]; !clash {
			m.add(it, it.Name)
			q.idx++
			continue
		}
		if q.all == "" {
			m.askConflict(it)
			return nil
		}
		if cmd := m.apply(q.all, it); cmd != nil {
			return cmd
		}
		q.idx++
	}
	return m.submit()
}

func (m *Model) add(it common.Entry, target string) {
	q := m.queue
	q.taken[target] = true
	q.files = append(q.files, common.TransferFile{
		Source: q.plan.src.Join(q.plan.srcDir, it.Name),
		Target: target,
	})
}

// apply resolves a conflict with choice "o", "s" or "r" (automatic name).
func (m *Model) apply(choice string, it common.Entry) tea.Cmd {
	q := m.queue
	switch choice {
	case "o":
		q.overwrite = true
		m.add(it, it.Name)
	case "s":
		q.skipped++
	case "r":
		name := uniqueName(it.Name, func(n string) bool { return q.taken[n] })
		if name == "" {
			m.queue = nil
			return common.Fail("copy", fmt.Errorf("no free name for %s", format.Sanitize(it.Name)))
		}
		m.add(it, name)
	}
	return nil
}

func (m *Model) askConflict(it common.Entry) {
	q := m.queue
	ex := q.existing[it.Name]
	what := "a file"
	if ex.Dir {
		what = "a directory"
	}
	lines := []string{
		fmt.Sprintf("%s already exists in %s", format.Sanitize(it.Name), format.Sanitize(q.dstLabel)),
		fmt.Sprintf("(%s, %s, modified %s)", what, format.Bytes(ex.Size), format.ModTime(ex.ModTime, m.TZ, false)),
	}
	if left := len(q.items) - q.idx - 1; left > 0 {
		lines = append(lines, fmt.Sprintf("%d more item(s) to check after this one", left))
	}
	m.kind = dlgConflict
	m.choice = &dialog.Choice{
		Title: "Overwrite?",
		Lines: lines,
		Options: []dialog.Option{
			{Key: "o", Label: "overwrite"}, {Key: "s", Label: "skip"}, {Key: "r", Label: "rename"},
			{Key: "O", Label: "overwrite all"}, {Key: "S", Label: "skip all"}, {Key: "R", Label: "rename all"},
		},
	}
}

func (m *Model) resolveConflict(choice string) tea.Cmd {
	q := m.queue
	if q == nil {
		return nil
	}
	it := q.items[q.idx]
	if choice == "r" {
		suggestion := uniqueName(it.Name, func(n string) bool { return q.taken[n] })
		pr := m.openPrompt(dlgRename, "Copy "+format.Sanitize(it.Name)+" as", suggestion, "a name that does not exist yet")
		pr.Validate = func(s string) error {
			s = strings.TrimSpace(s)
			if err := validName(s); err != nil {
				return err
			}
			if q.taken[s] {
				return fmt.Errorf("%s exists too", format.Sanitize(s))
			}
			return nil
		}
		return nil
	}
	if choice == "O" || choice == "S" || choice == "R" {
		q.all = strings.ToLower(choice)
		choice = q.all
	}
	if cmd := m.apply(choice, it); cmd != nil {
		return cmd
	}
	q.idx++
	return m.advance()
}

func (m *Model) renameChosen(name string) tea.Cmd {
	q := m.queue
	if q == nil {
		return nil
	}
	m.add(q.items[q.idx], name)
	q.idx++
	return m.advance()
}

// submit queues the transfer through the session's client.
func (m *Model) submit() tea.Cmd {
	q := m.queue
	m.queue = nil
	if len(q.files) == 0 {
		return common.Info("nothing to transfer: %s skipped", plural(q.skipped, "item"))
	}
	spec := common.TransferSpec{
		Direction: q.plan.direction,
		Files:     q.files,
		DestDir:   q.plan.dstDir,
		Overwrite: api.OverwriteNever,
	}
	if q.overwrite {
		spec.Overwrite = api.OverwriteAlways
	}
	if q.plan.direction == common.RemoteToRemote {
		ds := q.plan.dst.Session()
		loc := ds.Location
		spec.Destination = &loc
		spec.DestinationPassword = ds.Password
	}
	sess := q.plan.session
	m.panes[m.active].list.ClearMarks()
	ctx, cancel := m.CallCtx()
	n := len(q.files)
	return common.SafeCmd(func() tea.Msg {
		defer cancel()
		id, err := sess.Client.StartTransfer(ctx, spec)
		return QueuedMsg{SessionKey: sess.Key, ID: id, Files: n, Direction: spec.Direction, Err: err}
	}, func(err error) tea.Msg {
		cancel()
		return QueuedMsg{SessionKey: sess.Key, Files: n, Direction: spec.Direction, Err: err}
	})
}

// uniqueName finds "name (1).ext", "name (2).ext", … not taken; "" when
// none of the first 9999 is free.
func uniqueName(name string, taken func(string) bool) string {
	ext := path.Ext(name)
	if ext == name || len(ext) > 16 {
		ext = ""
	}
	stem := strings.TrimSuffix(name, ext)
	for i := 1; i <= 9999; i++ {
		n := fmt.Sprintf("%s (%d)%s", stem, i, ext)
		if !taken(n) {
			return n
		}
	}
	return ""
}
