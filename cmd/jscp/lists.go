package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
)

// maxListLine bounds one line of --file-list / --file-pair-list.
const maxListLine = 64 << 10

// sources returns the sources and DEST from the arguments, --file-list and
// --file-pair-list. List lines are taken literally (only a trailing CR is
// dropped); empty lines are skipped; entries are parsed like arguments, so
// host:path is remote and ./a:b is a local name with a colon.
func (c *cli) sources() (srcs []string, dst string, err error) {
	if len(c.Args) == 0 {
		return nil, "", fail(exitUsage, "usage", "need at least one SOURCE and a DEST (see jscp --help)")
	}
	srcs, dst = c.Args[:len(c.Args)-1], c.Args[len(c.Args)-1]
	switch {
	case c.FileList != "" && c.PairList != "":
		return nil, "", fail(exitUsage, "usage", "--file-list and --file-pair-list cannot be combined")
	case c.PairList != "" && len(srcs) > 0:
		return nil, "", fail(exitUsage, "usage", "with --file-pair-list give only DEST on the command line")
	case c.FileList != "":
		lines, err := readList(c.FileList)
		if err != nil {
			return nil, "", err
		}
		if len(lines) == 0 {
			return nil, "", fail(exitUsage, "usage", "%s: no sources in the file list", c.FileList)
		}
		srcs = append(srcs, lines...)
	case c.PairList != "":
		lines, err := readList(c.PairList)
		if err != nil {
			return nil, "", err
		}
		if len(lines) == 0 || len(lines)%2 != 0 {
			return nil, "", fail(exitUsage, "usage", "%s: want source and target lines in pairs, got %d line(s)", c.PairList, len(lines))
		}
		for i := 0; i < len(lines); i += 2 {
			t := lines[i+1]
			if err := checkPairTarget(t); err != nil {
				return nil, "", fail(exitUsage, "usage", "%s: line %d: %v", c.PairList, i+2, err)
			}
			srcs = append(srcs, lines[i])
			c.pairTargets = append(c.pairTargets, path.Clean("/"+t))
		}
	}
	if len(srcs) == 0 {
		return nil, "", fail(exitUsage, "usage", "need at least one SOURCE and a DEST (see jscp --help)")
	}
	return srcs, dst, nil
}

// checkPairTarget refuses targets that would leave DEST.
func checkPairTarget(t string) error {
	for _, el := range strings.Split(t, "/") {
		if el == ".." {
			return fmt.Errorf("target %q: '..' may not leave DEST", t)
		}
	}
	return nil
}

// readList reads the non-empty lines of a list file.
func readList(name string) ([]string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fail(exitUsage, "usage", "%v", err)
	}
	defer f.Close()
	out, err := parseList(f)
	if err != nil {
		return nil, fail(exitUsage, "usage", "%s: %v", name, err)
	}
	return out, nil
}

// parseList returns the non-empty lines of r without a trailing CR.
func parseList(r io.Reader) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), maxListLine)
	for sc.Scan() {
		if l := sc.Text(); l != "" { // ScanLines already drops the CR of a CRLF
			out = append(out, l)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("line %d is longer than %d bytes", len(out)+1, maxListLine)
		}
		return nil, err
	}
	return out, nil
}
