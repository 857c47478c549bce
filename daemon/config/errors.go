package config

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
)

// FileError is one problem at a position in a configuration file. Several
// problems found in one file are returned together by [errors.Join], sorted by
// position, one per line.
type FileError struct {
	File   string // file name as given to the loader
	Line   int    // 1-based line
	Column int    // 1-based column, in bytes
	Msg    string // the reason, starting with the key when there is one
}

// Error formats the problem as "file:line:column: reason".
func (e *FileError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

// maxProblems is the most problems reported for one file; a file with more
// is probably not a configuration file at all.
const maxProblems = 20

// problems collects the problems of one file, building at most maxProblems
// messages and counting the rest.
type problems struct {
	errs    []*FileError
	dropped int
}

// add records a problem; build is called only if it will be reported.
func (p *problems) add(build func() *FileError) {
	if len(p.errs) >= maxProblems {
		p.dropped++
		return
	}
	p.errs = append(p.errs, build())
}

// err returns the problems sorted by position, one per line, with a last line
// counting those not shown; nil when there are none.
func (p *problems) err() error {
	errs := p.errs
	if p.dropped > 0 && len(errs) > 0 {
		last := errs[len(errs)-1]
		errs = append(errs, &FileError{File: last.File, Line: last.Line, Column: last.Column,
			Msg: fmt.Sprintf("and %d more problems not shown", p.dropped)})
	}
	return joinFileErrors(errs)
}

// joinFileErrors sorts problems by position and joins them; nil when empty.
func joinFileErrors(errs []*FileError) error {
	if len(errs) == 0 {
		return nil
	}
	slices.SortStableFunc(errs, func(a, b *FileError) int {
		if c := cmp.Compare(a.Line, b.Line); c != 0 {
			return c
		}
		return cmp.Compare(a.Column, b.Column)
	})
	all := make([]error, len(errs))
	for i, e := range errs {
		all[i] = e
	}
	return errors.Join(all...)
}

// elemError is a problem with one element of a list value; the file loader
// uses index to point at the element instead of the list.
type elemError struct {
	index int
	err   error
}

func (e *elemError) Error() string { return e.err.Error() }
func (e *elemError) Unwrap() error { return e.err }
