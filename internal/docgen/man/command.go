// Package man builds the project's man pages from the kong models, the API
// method table (daemon/api), the configuration keys (daemon/config) and
// the trigger reference (daemon/triggers).
package man

import (
	"fmt"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/jetstream-go/jetstream/internal/docgen/roff"
)

// Source and Manual are the .TH footer and header texts of every page.
const (
	Source = "JetStream"
	Manual = "JetStream Manual"
)

// File is one generated page.
type File struct {
	Name string // file name, e.g. "jetstream-server.8"
	Text string // roff source
}

// Section is a hand-written part of a page.
type Section struct {
	Title string
	Write func(p *roff.Page)
}

// CommandSpec describes a page for one kong command node.
type CommandSpec struct {
	Name        string    // page name: "jetstream-server"
	Section     string    // "1", "8"
	Summary     string    // NAME line after the dash
	Program     string    // command words for the synopsis: "jetstream server"
	Description []string  // paragraphs (plain text); the node's help is used when empty
	Before      []Section // after DESCRIPTION, before OPTIONS
	After       []Section // after OPTIONS
	SeeAlso     []string  // "jetstream(1)"
	// Own limits OPTIONS to flags declared on the node (not its parents').
	Own bool
	// Refs turns COMMANDS into a brief list: subcommand name -> the page
	// that documents it ("jetstream-server(8)"); "" documents it here.
	Refs map[string]string
}

// CommandPage renders the page of node.
func CommandPage(node *kong.Node, s CommandSpec) File {
	var p roff.Page
	p.Header(s.Name, s.Section, Source, Manual)
	p.Section("NAME")
	p.Text(roff.Code(s.Name) + ` \- ` + roff.Escape(s.Summary))
	p.Section("SYNOPSIS")
	writeSynopsis(&p, node, s.Program)
	p.Section("DESCRIPTION")
	desc := s.Description
	if len(desc) == 0 {
		desc = []string{node.Help}
	}
	for i, d := range desc {
		if i > 0 {
			p.Para()
		}
		p.Text(roff.Escape(d))
	}
	if len(s.Description) == 0 && node.Detail != "" {
		writeDetail(&p, node.Detail)
	}
	writeSections(&p, s.Before)
	if flags := nodeFlags(node, s.Own); len(flags) > 0 {
		p.Section("OPTIONS")
		writeFlags(&p, flags)
	}
	if args := node.Positional; len(args) > 0 {
		p.Section("ARGUMENTS")
		for _, a := range args {
			p.Tagged(roff.I(a.Name), roff.Escape(a.Help))
		}
	}
	if subs := visibleChildren(node); len(subs) > 0 {
		p.Section("COMMANDS")
		for _, c := range subs {
			if s.Refs != nil {
				writeBrief(&p, c, s.Program+" "+c.Name, s.Refs[c.Name])
				continue
			}
			writeSubcommand(&p, c, s.Program+" "+c.Name)
		}
	}
	writeSections(&p, s.After)
	writeSeeAlso(&p, s.SeeAlso)
	return File{Name: s.Name + "." + s.Section, Text: p.String()}
}

func writeSections(p *roff.Page, secs []Section) {
	for _, sec := range secs {
		p.Section(sec.Title)
		sec.Write(p)
	}
}

func writeSeeAlso(p *roff.Page, refs []string) {
	if len(refs) == 0 {
		return
	}
	p.Section("SEE ALSO")
	parts := make([]string, len(refs))
	for i, r := range refs {
		name, sec, ok := strings.Cut(r, "(")
		if ok {
			parts[i] = roff.B(name) + "(" + roff.Escape(sec)
		} else {
			parts[i] = roff.B(r)
		}
	}
	p.Text(strings.Join(parts, ",\n"))
}

// writeBrief documents a child command in one paragraph, or fully when
// no page of its own covers it.
func writeBrief(p *roff.Page, n *kong.Node, words, ref string) {
	if ref == "" {
		writeSubcommand(p, n, words)
		return
	}
	p.Subsection(roff.Code(words))
	p.Text(roff.Escape(n.Help))
	name, sec, _ := strings.Cut(ref, "(")
	p.Text(roff.Escape("See ") + roff.B(name) + "(" + roff.Escape(sec) + ".")
}

// writeSubcommand documents a child command and, recursively, its children.
func writeSubcommand(p *roff.Page, n *kong.Node, words string) {
	p.Subsection(roff.Code(words))
	var syn roff.Page
	writeSynopsis(&syn, n, words)
	p.Raw(syn.String())
	p.Para()
	p.Text(roff.Escape(n.Help))
	if n.Detail != "" {
		writeDetail(p, n.Detail)
	}
	if flags := nodeFlags(n, true); len(flags) > 0 {
		writeFlags(p, flags)
	}
	for _, c := range visibleChildren(n) {
		writeSubcommand(p, c, words+" "+c.Name)
	}
}

func writeSynopsis(p *roff.Page, n *kong.Node, words string) {
	line := roff.B(words)
	if len(nodeFlags(n, false)) > 0 {
		line += " [" + roff.I("options") + "]"
	}
	if len(visibleChildren(n)) > 0 {
		line += " " + roff.I("command")
	}
	for _, a := range n.Positional {
		arg := roff.I(a.Name)
		if a.IsSlice() && !strings.HasSuffix(a.Name, "...") && !strings.Contains(a.Name, "...") {
			arg += "\\&..."
		}
		if !a.Required {
			arg = "[" + arg + "]"
		}
		line += " " + arg
	}
	p.Raw(".nh\n.ad l\n")
	p.Text(line)
	p.Raw(".ad\n.hy\n")
}

func visibleChildren(n *kong.Node) []*kong.Node {
	var out []*kong.Node
	for _, c := range n.Children {
		if !c.Hidden && c.Type == kong.CommandNode {
			out = append(out, c)
		}
	}
	return out
}

// nodeFlags returns the visible flags of n (and of its parents unless own).
func nodeFlags(n *kong.Node, own bool) []*kong.Flag {
	var out []*kong.Flag
	if own {
		for _, f := range n.Flags {
			if !f.Hidden {
				out = append(out, f)
			}
		}
		return out
	}
	for _, g := range n.AllFlags(true) {
		out = append(out, g...)
	}
	return out
}

func writeFlags(p *roff.Page, flags []*kong.Flag) {
	for _, f := range flags {
		p.Tagged(flagTag(f), flagBody(f))
	}
}

func flagTag(f *kong.Flag) string {
	var parts []string
	if f.Short != 0 {
		parts = append(parts, roff.B("-"+string(f.Short)))
	}
	long := roff.B("--" + f.Name)
	if f.Tag != nil && f.Tag.Negatable != "" {
		neg := "no-" + f.Name
		if f.Tag.Negatable != "_" {
			neg = f.Tag.Negatable
		}
		long += ", " + roff.B("--"+neg)
	}
	if !f.IsBool() && !f.IsCounter() {
		long += "=" + roff.I(placeholder(f))
	}
	return strings.Join(append(parts, long), ", ")
}

func flagBody(f *kong.Flag) string {
	body := roff.Escape(f.Help)
	var notes []string
	if f.HasDefault && f.Default != "" && !f.IsBool() {
		notes = append(notes, "default: "+roff.Code(f.Default))
	}
	if e := f.EnumSlice(); f.Enum != "" && len(e) > 0 && !strings.Contains(f.Help, e[0]) {
		notes = append(notes, "one of: "+roff.Code(strings.Join(e, ", ")))
	}
	for _, env := range f.Envs {
		notes = append(notes, "environment: "+roff.B(env))
	}
	if f.IsSlice() && !strings.Contains(f.Help, "repeatable") {
		notes = append(notes, "repeatable")
	}
	if len(notes) > 0 {
		body += fmt.Sprintf(" (%s)", strings.Join(notes, "; "))
	}
	return body
}

// writeDetail renders a command's Help() text: runs of indented lines stay
// as they are (lists, examples), other lines are filled; blank lines start
// paragraphs.
func writeDetail(p *roff.Page, text string) {
	p.Para()
	var verbatim []string
	flush := func() {
		if len(verbatim) > 0 {
			p.Raw(".RS 2\n.nf\n")
			for _, l := range verbatim {
				p.Text(roff.Escape(strings.TrimRight(l, " ")))
			}
			p.Raw(".fi\n.RE\n")
			verbatim = nil
		}
	}
	for _, l := range strings.Split(text, "\n") {
		switch {
		case strings.TrimSpace(l) == "":
			flush()
			p.Para()
		case l[0] == ' ' || l[0] == '\t':
			verbatim = append(verbatim, strings.TrimSpace(l))
		default:
			flush()
			p.Text(roff.Escape(l))
		}
	}
	flush()
}

// placeholder names a flag's value: its placeholder tag, else its name.
func placeholder(f *kong.Flag) string {
	if f.PlaceHolder != "" {
		return f.PlaceHolder
	}
	return strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
}
