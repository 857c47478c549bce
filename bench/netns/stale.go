package netns

import (
	"context"
	"errors"
	"os"
	"regexp"
	"strconv"
)

var pairName = regexp.MustCompile(`^jsb[AB]-([0-9]+)$`)

// RemoveStale deletes namespaces left by benchmark runs that died without
// cleaning up (e.g. SIGKILL): names "jsbA-<pid>"/"jsbB-<pid>" whose PID is
// no longer a running process. It returns the names it removed.
func RemoveStale(ctx context.Context) ([]string, error) {
	names, err := List()
	if err != nil {
		return nil, err
	}
	var removed []string
	var errs []error
	for _, name := range names {
		m := pairName.FindStringSubmatch(name)
		if m == nil {
			continue
		}
		pid, err := strconv.Atoi(m[1])
		if err != nil || processAlive(pid) {
			continue
		}
		if err := (&Namespace{Name: name}).Delete(ctx); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, name)
	}
	return removed, errors.Join(errs...)
}

func processAlive(pid int) bool {
	_, err := os.Stat("/proc/" + strconv.Itoa(pid))
	return err == nil
}
