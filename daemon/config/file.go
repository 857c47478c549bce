package config

import (
	"fmt"
	"io"
	"os"
)

// File is a parsed, strictly validated server configuration file. Every key
// in it is known and every value passed the same checks as Validate.
type File struct {
	name   string
	values map[string]fileValue
	order  []string // keys in the order written
}

// fileValue is one checked value and the line of its key.
type fileValue struct {
	value any
	line  int
}

// LoadFile reads and checks the server configuration file at path. Unknown
// keys, wrong types and bad values are reported as *FileError values joined
// with errors.Join, one line each, such as
//
//	jetstream.toml:7:1: unknown key "api-prot" (did you mean "api-port"?)
//
// A missing file gives an error that matches fs.ErrNotExist.
func LoadFile(path string) (*File, error) {
	data, err := readLimited(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// readLimited reads a configuration file of at most maxFileBytes.
func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading config file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading config file: %w", err)
	}
	if len(data) > maxFileBytes {
		return nil, fmt.Errorf("reading config file %s: larger than the limit of %d bytes", path, maxFileBytes)
	}
	return data, nil
}

// Parse checks data as a server configuration file; name is used in error
// messages. It is LoadFile without the file system.
func Parse(name string, data []byte) (*File, error) {
	doc, err := parseDocument(name, data)
	if err != nil {
		return nil, err
	}
	f := &File{name: name, values: map[string]fileValue{}}
	var probs problems
	for _, k := range doc.sortedKeys(doc.values) {
		v := doc.values[k]
		sp, ok := specByName[k]
		if !ok {
			probs.add(func() *FileError { return doc.errAt(doc.keyPos(k), "%s", unknownServerKey(k, v)) })
			continue
		}
		checked, err := sp.decode(v)
		if err != nil {
			probs.add(func() *FileError { return doc.valueErr(k, err, k) })
			continue
		}
		f.values[k] = fileValue{value: checked, line: doc.keyPos(k).line}
		f.order = append(f.order, k)
	}
	if err := probs.err(); err != nil {
		return nil, err
	}
	return f, nil
}

// unknownServerKey explains an unknown top-level key.
func unknownServerKey(k string, v any) string {
	if _, isTable := v.(map[string]any); isTable {
		return fmt.Sprintf("unknown table %s: the server file has no tables, only top-level keys such as api-port",
			quoteShort(k))
	}
	return fmt.Sprintf("unknown key %s%s", quoteShort(k), suggest(k, keyNames))
}

// Name is the file name given to LoadFile or Parse.
func (f *File) Name() string { return f.name }

// Names lists the keys set in the file, in the order they are written.
func (f *File) Names() []string { return append([]string(nil), f.order...) }

// Lookup returns the value of key (a key or flag name such as "api-port") and
// the line it is set on, for a kong resolver. The value has the Lookup form of
// the key's Kind: bool, int, float64 (kbit/s), string, a duration string, or
// []any of strings. ok is false when the file does not set the key.
func (f *File) Lookup(key string) (value any, line int, ok bool) {
	if f == nil {
		return nil, 0, false
	}
	fv, ok := f.values[key]
	if !ok {
		return nil, 0, false
	}
	return specByName[key].external(fv.value), fv.line, true
}

// Apply copies every key set in the file into s; keys the file does not set
// keep their values. A nil File changes nothing. The values were checked when
// the file was loaded, so Apply fails only on a nil s.
func (f *File) Apply(s *Server) error {
	if s == nil {
		return fmt.Errorf("config: Apply to a nil Server")
	}
	if f == nil {
		return nil
	}
	for _, k := range f.order {
		specByName[k].set(s, f.values[k].value)
	}
	return nil
}
