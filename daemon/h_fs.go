package daemon

import (
	"context"
	"errors"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/fsops"
)

func (s *Server) registerFSMethods(r routes) {
	// Every operation runs through s.fsOp (fsgate.go): each holds an OS
	// thread while it acts as the user.
	r["lsRootsAsync"] = func(c *call) (any, error) {
		ops := c.sess.ops()
		return c.async(func(ctx context.Context) (any, error) {
			var entries []fsops.Entry
			err := s.fsOp(ctx, func() (err error) { entries, err = ops.LsRoots(); return err })
			if err != nil {
				return nil, fsError(err)
			}
			return api.LsResult{Path: "", Files: toEntries(entries)}, nil
		})
	}
	r["lsAsync"] = func(c *call) (any, error) {
		ops, path, dir := c.sess.ops(), c.p.str("path"), c.p.bool("directory", false)
		return c.async(func(ctx context.Context) (any, error) {
			var shown string
			var entries []fsops.Entry
			err := s.fsOp(ctx, func() (err error) { shown, entries, err = ops.Ls(ctx, path, dir); return err })
			if err != nil {
				return nil, fsError(err)
			}
			return api.LsResult{Path: shown, Files: toEntries(entries)}, nil
		})
	}
	r["duAsync"] = func(c *call) (any, error) {
		ops, path := c.sess.ops(), c.p.str("path")
		return c.async(func(ctx context.Context) (any, error) {
			var n int64
			err := s.fsOp(ctx, func() (err error) { n, err = ops.Du(ctx, path); return err })
			if err != nil {
				return nil, fsError(err)
			}
			return api.DuResult{Du: n}, nil
		})
	}
	r["mkdirAsync"] = func(c *call) (any, error) {
		ops, path := c.sess.ops(), c.p.str("path")
		if path == "" {
			return nil, c.p.invalid("path", "must not be empty")
		}
		return c.async(func(ctx context.Context) (any, error) {
			return nil, fsError(s.fsOp(ctx, func() error { return ops.Mkdir(path) }))
		})
	}
	r["mvAsync"] = func(c *call) (any, error) {
		ops, path, to := c.sess.ops(), c.p.str("path"), c.p.str("newPath")
		if path == "" || to == "" {
			return nil, api.Errorf(api.CodeInvalidParameter, "mvAsync: path and newPath must not be empty")
		}
		return c.async(func(ctx context.Context) (any, error) {
			return nil, fsError(s.fsOp(ctx, func() error { return ops.Mv(path, to) }))
		})
	}
	r["rmAsync"] = func(c *call) (any, error) {
		ops, path := c.sess.ops(), c.p.str("path")
		if path == "" {
			return nil, c.p.invalid("path", "must not be empty")
		}
		return c.async(func(ctx context.Context) (any, error) {
			return nil, fsError(s.fsOp(ctx, func() error { return ops.Rm(ctx, path) }))
		})
	}
}

func toEntries(in []fsops.Entry) []api.FileEntry {
	out := make([]api.FileEntry, len(in))
	for i, e := range in {
		out[i] = api.FileEntry{Name: e.Name, Type: e.Type, Size: e.Size, Mtime: e.Mtime, Access: e.Access}
	}
	return out
}

// fsError maps fsops errors to API errors; nil stays nil.
func fsError(err error) error {
	if err == nil {
		return nil
	}
	var ae *api.Error
	if errors.As(err, &ae) {
		return ae
	}
	code := api.CodeInternal
	switch fsops.CodeOf(err) {
	case "outside_sandbox":
		code = api.CodeOutsideSandbox
	case "not_found":
		code = api.CodeNotFound
	case "permission_denied":
		code = api.CodePermissionDenied
	case "exists":
		code = api.CodeExists
	case "not_a_directory", "invalid_path":
		code = api.CodeInvalidParameter
	}
	if errors.Is(err, context.Canceled) {
		code = api.CodeCancelled
	}
	return &api.Error{Code: code, Message: err.Error()}
}
