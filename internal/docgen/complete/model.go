// Package complete generates bash, zsh and fish completion scripts from a
// kong command-line model. The scripts are static: every command, flag and
// enum value is written into them, so they work without calling the
// program, except for remote paths (see Options.RemoteHelper).
package complete

import (
	"sort"
	"strings"

	"github.com/alecthomas/kong"
)

// ValueKind says how a flag's value or a positional argument completes.
type ValueKind int

// Value kinds.
const (
	None   ValueKind = iota // no completion (free text, numbers)
	Files                   // local files
	Dirs                    // local directories
	Words                   // a fixed list (enum values, method names)
	Remote                  // local files, or remote paths for words with ':'
)

// Flag is one completable flag.
type Flag struct {
	Long     string // without "--"
	Short    rune   // 0 if none
	Negation string // "--no-x" style negated name without "--", or ""
	Help     string // first sentence of the help
	Value    bool   // takes a value
	Repeat   bool   // may be given more than once
	Kind     ValueKind
	Words    []string
}

// Command is one node of the command tree.
type Command struct {
	Name  string
	Path  string // space-separated subcommand path below the program ("" for the root)
	Help  string
	Flags []Flag // flags accepted here: this node's and its ancestors'
	Subs  []*Command
	// Args is how positional arguments complete (the first one's kind is
	// used for all of them).
	Args    ValueKind
	Words   []string // for Args == Words
	HasArgs bool     // takes positional arguments
}

// Options adjust what the kong model cannot say.
type Options struct {
	// ArgWords gives fixed candidates for positional arguments, by command
	// path ("api" -> method names).
	ArgWords map[string][]string
	// RemoteArgs lists command paths whose positional arguments may be
	// remote specs ([user@]host:path) completed by RemoteHelper.
	RemoteArgs []string
	// RemoteHelper is the command that prints completions for one remote
	// word, one per line, e.g. "jscp --complete-remote". It is called with
	// the word as its last argument and must print nothing on failure.
	RemoteHelper string
}

// FromKong builds the command tree of app; hidden commands and flags are
// left out.
func FromKong(app *kong.Application, o Options) *Command {
	return fromNode(app.Node, "", o)
}

func fromNode(n *kong.Node, path string, o Options) *Command {
	c := &Command{Name: n.Name, Path: path, Help: firstSentence(n.Help)}
	for _, group := range n.AllFlags(true) {
		for _, f := range group {
			c.Flags = append(c.Flags, flagOf(f))
		}
	}
	sort.SliceStable(c.Flags, func(i, j int) bool { return c.Flags[i].Long < c.Flags[j].Long })
	for _, ch := range n.Children {
		if ch.Hidden || ch.Type != kong.CommandNode {
			continue
		}
		p := ch.Name
		if path != "" {
			p = path + " " + ch.Name
		}
		c.Subs = append(c.Subs, fromNode(ch, p, o))
	}
	c.HasArgs = len(n.Positional) > 0
	if w, ok := o.ArgWords[path]; ok {
		c.Args, c.Words = Words, w
	} else if contains(o.RemoteArgs, path) {
		c.Args = Remote
	} else if len(n.Positional) > 0 {
		c.Args, c.Words = kindOf(n.Positional[0])
	}
	return c
}

func flagOf(f *kong.Flag) Flag {
	fl := Flag{Long: f.Name, Short: f.Short, Help: firstSentence(f.Help), Value: !f.IsBool() && !f.IsCounter(),
		Repeat: f.IsSlice() || f.IsCounter()}
	if f.Tag != nil && f.Tag.Negatable != "" {
		if f.Tag.Negatable == "_" {
			fl.Negation = "no-" + f.Name
		} else {
			fl.Negation = f.Tag.Negatable
		}
	}
	if fl.Value {
		fl.Kind, fl.Words = kindOf(f.Value)
	}
	return fl
}

func kindOf(v *kong.Value) (ValueKind, []string) {
	if v.Enum != "" {
		var words []string
		for _, e := range v.EnumSlice() {
			if e != "" {
				words = append(words, e)
			}
		}
		if len(words) > 0 {
			return Words, words
		}
	}
	if v.Tag != nil {
		switch v.Tag.Type {
		case "path", "existingfile", "filecontent":
			return Files, nil
		case "existingdir":
			return Dirs, nil
		}
	}
	switch strings.ToUpper(placeholder(v)) {
	case "FILE", "PATH", "GLOB":
		return Files, nil
	case "DIR":
		return Dirs, nil
	}
	return None, nil
}

func placeholder(v *kong.Value) string {
	if v.Flag != nil && v.Flag.PlaceHolder != "" {
		return v.Flag.PlaceHolder
	}
	if v.Tag != nil {
		return v.Tag.PlaceHolder
	}
	return ""
}

// firstSentence shortens help to its first sentence, on one line.
func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '.' && s[i+1] == ' ' && !strings.HasSuffix(s[:i], "e.g") && !strings.HasSuffix(s[:i], "i.e") {
			return s[:i+1]
		}
	}
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Walk calls fn for c and every command below it, parents first.
func (c *Command) Walk(fn func(*Command)) {
	fn(c)
	for _, s := range c.Subs {
		s.Walk(fn)
	}
}

// Program returns the program name.
func (c *Command) Program() string { return c.Name }
