package main

import "github.com/jetstream-go/jetstream/net/engine"

// announceSource emits a "file" event as each upload file is opened.
type announceSource struct {
	engine.Source
	p *printer
}

func (s announceSource) Open(f engine.FileMeta) (engine.SourceReader, error) {
	s.p.fileStart(f)
	return s.Source.Open(f)
}

// announceSink emits a "file" event as each download file is opened.
type announceSink struct {
	engine.Sink
	p *printer
}

func (s announceSink) Open(key string, f engine.FileMeta, resume bool) (engine.SinkFile, error) {
	s.p.fileStart(f)
	return s.Sink.Open(key, f, resume)
}

func (p *printer) fileStart(f engine.FileMeta) {
	p.event("file", map[string]any{"path": f.Path, "size": f.Size})
	if p.verbose {
		p.info("jscp: %q (%s)", f.Path, humanBytes(f.Size))
	}
}
