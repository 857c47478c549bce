package filelist

import (
	"sort"
	"strings"

	"github.com/jetstream-go/jetstream/tui/common"
)

// SortKey orders the entries; directories always come first.
type SortKey int

// Sort keys, in the order the sort key cycles through.
const (
	ByName SortKey = iota
	BySize
	ByTime
	numSortKeys
)

// String names the key for the pane's title.
func (k SortKey) String() string {
	switch k {
	case BySize:
		return "size"
	case ByTime:
		return "time"
	}
	return "name"
}

// sortEntries sorts in place: directories first, then by key, then by name
// so that the order is total and stable across reloads.
func sortEntries(es []common.Entry, key SortKey, reverse bool) {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.Dir != b.Dir {
			return a.Dir
		}
		less, more := false, false
		switch key {
		case BySize:
			less, more = a.Size < b.Size, a.Size > b.Size
		case ByTime:
			less, more = a.ModTime.Before(b.ModTime), a.ModTime.After(b.ModTime)
		}
		if !less && !more {
			la, lb := strings.ToLower(a.Name), strings.ToLower(b.Name)
			if la == lb {
				less, more = a.Name < b.Name, a.Name > b.Name
			} else {
				less, more = la < lb, la > lb
			}
		}
		if reverse {
			return more
		}
		return less
	})
}
