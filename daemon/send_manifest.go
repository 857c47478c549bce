package daemon

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"strings"
	"time"

	"github.com/jetstream-go/jetstream/daemon/api"
	"github.com/jetstream-go/jetstream/fsops"
)

// manifestFile is one file of a manifest with its host path (never shown to
// users; they see SrcPath as they gave it).
type manifestFile struct {
	api.FileMapping
	Host    string `json:"host"`
	MtimeNs int64  `json:"mtimeNs"` // full precision, to detect changes
}

type manifestFiles struct {
	Files []manifestFile `json:"files"`
	// ID is the owner's file-system identity: files are read with it at
	// transfer time, never with the server's own privileges.
	ID *fsops.Identity `json:"identity,omitempty"`
}

// mapping is one src → dst pair of createManifest.
type mapping struct{ src, dst string }

// parseFileMappings accepts {src: dst} or ["src:dst", ...] ("::" separates
// when a side contains ':').
func parseFileMappings(p params) ([]mapping, error) {
	raw := p.rawValue("fileMappings")
	var obj map[string]string
	if json.Unmarshal(raw, &obj) == nil {
		if len(obj) == 0 {
			return nil, p.invalid("fileMappings", "no files given")
		}
		out := make([]mapping, 0, len(obj))
		for s, d := range obj {
			out = append(out, mapping{s, d})
		}
		sortMappings(out)
		return out, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, p.invalid("fileMappings", "want {\"src\": \"dst\"} or a list of \"src:dst\" strings")
	}
	if len(list) == 0 {
		return nil, p.invalid("fileMappings", "no files given")
	}
	out := make([]mapping, 0, len(list))
	for _, s := range list {
		sep := ":"
		if strings.Contains(s, "::") {
			sep = "::"
		}
		src, dst, ok := strings.Cut(s, sep)
		if !ok || src == "" || dst == "" {
			return nil, p.invalid("fileMappings", "%q is not \"src:dst\"", s)
		}
		out = append(out, mapping{src, dst})
	}
	return out, nil
}

func sortMappings(m []mapping) {
	for i := 1; i < len(m); i++ {
		for j := i; j > 0 && m[j].src < m[j-1].src; j-- {
			m[j], m[j-1] = m[j-1], m[j]
		}
	}
}

// buildFileList resolves mappings in the user's sandbox and walks them.
func buildFileList(ctx context.Context, ops fsops.Ops, maps []mapping, follow bool) ([]manifestFile, error) {
	var files []manifestFile
	err := fsops.AsUser(ops.ID, func() error {
		for _, m := range maps {
			host, err := ops.Sandbox.Resolve(m.src)
			if err != nil {
				return err
			}
			fi, err := os.Stat(host)
			if err != nil {
				return fmt.Errorf("%s: %w", m.src, err)
			}
			isDir := fi.IsDir()
			// The sandbox-aware walk refuses links that lead out of the sandbox
			// and gives the host path to read.
			err = ops.Sandbox.WalkFiles(ctx, m.src, follow, func(rel, hostPath string, fi os.FileInfo, emptyDir bool) error {
				src, dst := m.src, m.dst
				if isDir {
					if rel != "" && rel != "." {
						src = path.Join(m.src, rel)
						dst = path.Join(m.dst, rel)
					}
				}
				files = append(files, manifestFile{
					FileMapping: api.FileMapping{
						SrcPath: src, DestPath: dst, IsEmptyDir: emptyDir,
						FileSize:         sizeOf(fi, emptyDir),
						Executable:       fi.Mode()&0o111 != 0,
						ModificationTime: fi.ModTime().Unix(),
						Mode:             uint32(fi.Mode().Perm()),
					},
					Host:    hostPath,
					MtimeNs: fi.ModTime().UnixNano(),
				})
				return nil
			})
			if err != nil {
				return fmt.Errorf("%s: %w", m.src, err)
			}
		}
		return nil
	})
	return files, err
}

func sizeOf(fi os.FileInfo, emptyDir bool) int64 {
	if emptyDir || fi.IsDir() {
		return 0
	}
	return fi.Size()
}

func (s *Server) registerManifestMethods(r routes) {
	r["send.createManifest"] = func(c *call) (any, error) {
		maps, err := parseFileMappings(c.p)
		if err != nil {
			return nil, err
		}
		follow := true
		switch sl := c.p.str("symlinks"); sl {
		case "", "follow":
		case "skip":
			follow = false
		default:
			return nil, c.p.invalid("symlinks", "want follow or skip, got %q", sl)
		}
		var ud map[string]any
		if err := c.p.decode("userData", &ud); err != nil {
			return nil, err
		}
		m := api.Manifest{ManifestID: randomHex(16), Status: api.ManifestPending, Processing: true,
			Owner: c.sess.userName(), CreationTime: time.Now().UnixMicro(), UserData: ud}
		if err := s.xfer.manifests.put(m.ManifestID, m); err != nil {
			return nil, err
		}
		s.bus.emit(m.Owner, "manifestCreated", map[string]any{"manifestId": m.ManifestID})
		ops := c.sess.ops()
		s.goWorker(func() { s.xfer.buildManifest(s.baseCtx, m.ManifestID, ops, maps, follow) }) // lifecycle.go
		return m, nil
	}
	r["send.getManifest"] = func(c *call) (any, error) { return s.xfer.manifestFor(c, c.p.str("manifestId")) }
	r["send.getManifests"] = func(c *call) (any, error) {
		list := s.xfer.manifests.list(func(m *api.Manifest) bool { return c.sess.canSee(m.Owner) })
		return map[string]any{"manifests": list}, nil
	}
	r["send.getManifestFiles"] = func(c *call) (any, error) {
		m, err := s.xfer.manifestFor(c, c.p.str("manifestId"))
		if err != nil {
			return nil, err
		}
		mf, _ := s.xfer.files.get(m.ManifestID)
		out := api.ManifestFiles{ManifestID: m.ManifestID, FileMappings: make([]api.FileMapping, len(mf.Files))}
		for i, f := range mf.Files {
			out.FileMappings[i] = f.FileMapping
		}
		return out, nil
	}
	r["send.deleteManifest"] = func(c *call) (any, error) {
		m, err := s.xfer.manifestFor(c, c.p.str("manifestId"))
		if err != nil {
			return nil, err
		}
		if id := s.xfer.transferUsing(m.ManifestID); id != "" {
			return nil, api.Errorf(api.CodeConflict, "send.deleteManifest: manifest %s is used by transfer %s", m.ManifestID, id)
		}
		s.xfer.manifests.del(m.ManifestID)
		s.xfer.files.del(m.ManifestID)
		return nil, nil
	}
	r["send.waitForManifest"] = func(c *call) (any, error) {
		id := c.p.str("manifestId")
		if _, err := s.xfer.manifestFor(c, id); err != nil {
			return nil, err
		}
		ctx := c.ctx
		if t := c.p.float("timeoutSeconds", 0); t > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, time.Duration(t*float64(time.Second)))
			defer cancel()
		}
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			m, _ := s.xfer.manifests.get(id)
			if !m.Processing {
				return m, nil
			}
			select {
			case <-ctx.Done():
				return nil, api.Errorf(api.CodeUnavailable, "send.waitForManifest: manifest %s is still being built", id)
			case <-tick.C:
			}
		}
	}
}

func (x *transfers) manifestFor(c *call, id string) (api.Manifest, error) {
	m, ok := x.manifests.get(id)
	if !ok || !c.sess.canSee(m.Owner) {
		return api.Manifest{}, api.Errorf(api.CodeNotFound, "manifest %q not found", id)
	}
	return m, nil
}

func (x *transfers) buildManifest(ctx context.Context, id string, ops fsops.Ops, maps []mapping, follow bool) {
	var files []manifestFile
	err := x.srv.fsGate.do(ctx, false, func() (err error) { // fsgate.go: queue, never busy, for a created manifest
		files, err = buildFileList(ctx, ops, maps, follow)
		return err
	})
	var total int64
	for _, f := range files {
		total += f.FileSize
	}
	if err == nil {
		err = x.files.put(id, manifestFiles{Files: files, ID: &ops.ID})
	}
	x.manifests.update(id, func(m *api.Manifest) bool {
		m.Processing = false
		if err != nil {
			msg := err.Error()
			m.Status, m.ErrorMessage = api.ManifestError, &msg
			return true
		}
		n := int64(len(files))
		m.Status, m.TotalFiles, m.TotalSize = api.ManifestComplete, &n, &total
		return true
	})
}
