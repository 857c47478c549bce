package config

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// maxFileBytes bounds the size of a configuration file. Real files are a
// few KiB; the bound keeps go-toml's key tracking, which is quadratic in the
// number of keys of a table, well under a second.
const maxFileBytes = 256 << 10

// position is a 1-based line and byte column.
type position struct{ line, col int }

// document is a syntactically valid TOML document: its decoded values plus
// the position of every key, value and list element, so that the schema
// checks can point at the offending text.
type document struct {
	name   string
	values map[string]any
	keys   map[string]position // path → where its (last) key part is written
	vals   map[string]position // path → where its value starts; path[i] for list elements
	lines  []int               // byte offset of each line start
}

// parseDocument parses data (a TOML document) named name. Syntax errors,
// duplicate keys and invalid UTF-8 come back as a *FileError.
func parseDocument(name string, data []byte) (*document, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	d := &document{
		name: name,
		keys: map[string]position{},
		vals: map[string]position{},
	}
	d.lines = append(d.lines, 0)
	for i, c := range data {
		if c == '\n' {
			d.lines = append(d.lines, i+1)
		}
	}
	if len(data) > maxFileBytes {
		return nil, &FileError{File: name, Line: 1, Column: 1,
			Msg: fmt.Sprintf("file is %d bytes, more than the limit of %d", len(data), maxFileBytes)}
	}
	if err := toml.Unmarshal(data, &d.values); err != nil {
		return nil, d.syntaxError(err)
	}
	var p unstable.Parser
	p.Reset(data)
	var table []string
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = d.recordKey(nil, e.Key())
		case unstable.KeyValue:
			d.recordKeyValue(&p, table, e)
		}
	}
	if err := p.Error(); err != nil {
		return nil, d.syntaxError(err)
	}
	return d, nil
}

// syntaxError converts a go-toml error into a *FileError.
func (d *document) syntaxError(err error) *FileError {
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, col := de.Position()
		return &FileError{File: d.name, Line: line, Column: col,
			Msg: strings.TrimPrefix(de.Error(), "toml: ")}
	}
	return &FileError{File: d.name, Line: 1, Column: 1, Msg: strings.TrimPrefix(err.Error(), "toml: ")}
}

// recordKey records the position of each prefix of a (dotted) key below
// prefix and returns the full path. The first definition of a path wins.
func (d *document) recordKey(prefix []string, it unstable.Iterator) []string {
	path := append([]string(nil), prefix...)
	for it.Next() {
		k := it.Node()
		path = append(path, string(k.Data))
		id := pathID(path)
		if _, ok := d.keys[id]; !ok {
			d.keys[id] = d.pos(int(k.Raw.Offset))
		}
	}
	return path
}

// recordKeyValue records a key = value expression below table, descending
// into inline tables and list elements.
func (d *document) recordKeyValue(p *unstable.Parser, table []string, kv *unstable.Node) {
	path := d.recordKey(table, kv.Key())
	var last *unstable.Node
	for it := kv.Key(); it.Next(); {
		last = it.Node()
	}
	if last == nil {
		return
	}
	off := valueOffset(p.Data(), int(last.Raw.Offset+last.Raw.Length))
	id := pathID(path)
	vpos := d.pos(off)
	if _, ok := d.vals[id]; !ok {
		d.vals[id] = vpos
	}
	v := kv.Value()
	switch v.Kind {
	case unstable.InlineTable:
		for it := v.Children(); it.Next(); {
			if c := it.Node(); c.Kind == unstable.KeyValue {
				d.recordKeyValue(p, path, c)
			}
		}
	case unstable.Array:
		i := 0
		for it := v.Children(); it.Next(); {
			c := it.Node()
			if c.Kind == unstable.Comment {
				continue
			}
			epos := vpos
			if c.Raw.Length > 0 {
				epos = d.pos(int(c.Raw.Offset))
			}
			d.vals[id+"["+strconv.Itoa(i)+"]"] = epos
			i++
		}
	}
}

// valueOffset returns the offset of the value that follows a key ending at
// end: past blanks, '=' and blanks.
func valueOffset(data []byte, end int) int {
	i := end
	for i < len(data) && (data[i] == ' ' || data[i] == '\t') {
		i++
	}
	if i < len(data) && data[i] == '=' {
		i++
	}
	for i < len(data) && (data[i] == ' ' || data[i] == '\t') {
		i++
	}
	return i
}

// pos converts a byte offset into a line and column.
func (d *document) pos(off int) position {
	i := sort.Search(len(d.lines), func(i int) bool { return d.lines[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return position{line: i + 1, col: off - d.lines[i] + 1}
}

// pathID is the map key of a key path.
func pathID(path []string) string {
	var b strings.Builder
	for i, p := range path {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strconv.Quote(p))
	}
	return b.String()
}

// keyPos is where the last part of path is written (1:1 when unknown).
func (d *document) keyPos(path ...string) position {
	if p, ok := d.keys[pathID(path)]; ok {
		return p
	}
	return position{1, 1}
}

// valPos is where the value of path starts, or its key when it is a table.
func (d *document) valPos(path ...string) position {
	if p, ok := d.vals[pathID(path)]; ok {
		return p
	}
	return d.keyPos(path...)
}

// elemPos is where element i of the list at path starts.
func (d *document) elemPos(i int, path ...string) position {
	if p, ok := d.vals[pathID(path)+"["+strconv.Itoa(i)+"]"]; ok {
		return p
	}
	return d.valPos(path...)
}

// errAt builds a *FileError at p.
func (d *document) errAt(p position, format string, args ...any) *FileError {
	return &FileError{File: d.name, Line: p.line, Column: p.col, Msg: fmt.Sprintf(format, args...)}
}

// valueErr reports err about the value of path, pointing at the list element
// when err is an *elemError.
func (d *document) valueErr(label string, err error, path ...string) *FileError {
	p := d.valPos(path...)
	var ee *elemError
	if errors.As(err, &ee) {
		p = d.elemPos(ee.index, path...)
	}
	return d.errAt(p, "%s: %v", label, err)
}

// sortedKeys returns the keys of m in the order they are written in the
// document below prefix.
func (d *document) sortedKeys(m map[string]any, prefix ...string) []string {
	type keyAt struct {
		key string
		at  position
	}
	keys := make([]keyAt, 0, len(m))
	for k := range m {
		keys = append(keys, keyAt{k, d.keyPos(append(prefix[:len(prefix):len(prefix)], k)...)})
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.at.line != b.at.line {
			return a.at.line < b.at.line
		}
		if a.at.col != b.at.col {
			return a.at.col < b.at.col
		}
		return a.key < b.key
	})
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.key
	}
	return out
}
