package roff

import (
	"strings"
	"testing"
)

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ in, esc, code string }{
		{"plain text", "plain text", "plain text"},
		{`a\b`, `a\eb`, `a\eb`},
		{"--flag", "--flag", `\-\-flag`},
		{"café", `caf\[u00E9]`, `caf\[u00E9]`},
		{"tab\tnew\nline", "tab new line", "tab new line"},
		{"bell\x07", "bell", "bell"},
		{"“quotes”", `\[u201C]quotes\[u201D]`, `\[u201C]quotes\[u201D]`},
	} {
		if got := Escape(tc.in); got != tc.esc {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.esc)
		}
		if got := Code(tc.in); got != tc.code {
			t.Errorf("Code(%q) = %q, want %q", tc.in, got, tc.code)
		}
	}
}

func TestTextProtectsControlLines(t *testing.T) {
	var p Page
	p.Text(".SH not a macro\n'also not\n  indented\nplain")
	want := "\\&.SH not a macro\n\\&'also not\nindented\nplain\n"
	if got := p.String(); got != want {
		t.Errorf("Text wrote %q, want %q", got, want)
	}
}

func TestHeaderQuotesArguments(t *testing.T) {
	var p Page
	p.Header("jetstream-api", "1", `Jet"Stream`, "Manual")
	if !strings.Contains(p.String(), `.TH "JETSTREAM-API" "1" "" "Jet\(dqStream" "Manual"`) {
		t.Errorf("header: %q", p.String())
	}
}

func TestInline(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"use `--trigger-dir` now", `use \fB\%\-\-trigger\-dir\fR now`},
		{"**Serial.** Triggers", `\fBSerial.\fR Triggers`},
		{"*Not in the original.*", `\fINot in the original.\fR`},
		{"a * b and `unclosed", "a * b and `unclosed"},
		{"2 ** 3", "2 ** 3"},
		{"ü*x*", `\[u00FC]\fIx\fR`},
	} {
		if got := Inline(tc.in); got != tc.want {
			t.Errorf("Inline(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMarkdown(t *testing.T) {
	md := "# Title\n\n<!-- hidden\ncomment -->\n\nIntro `x`\ncontinues.\n\n## Section\n\n* one\n  more\n* two\n\n### `launch`\n\n1. `port`: the port\n\n    #!/bin/sh\n    echo hi\n\n.dot para\n"
	var p Page
	p.Markdown(md)
	got := p.String()
	for _, want := range []string{
		".PP\nIntro \\fB\\%x\\fR continues.\n",
		`.SH "SECTION"`,
		".IP \"\\(bu\" \"4\"\none more\n",
		".IP \"\\(bu\" \"4\"\ntwo\n",
		`.SS "\fB\%launch\fR"`,
		".IP \"1.\" \"4\"\n\\fB\\%port\\fR: the port\n",
		".nf\n#!/bin/sh\necho hi\n.fi\n",
		"\\&.dot para\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Markdown output lacks %q:\n%s", want, got)
		}
	}
	for _, bad := range []string{"Title", "hidden", "comment"} {
		if strings.Contains(got, bad) {
			t.Errorf("Markdown output contains %q:\n%s", bad, got)
		}
	}
}

// macros are the requests the writer emits; any other line starting with
// '.' or '\” would be an injected request.
var macros = []string{".TH ", ".SH ", ".SS ", ".PP", ".TP", ".IP ", ".RS", ".RE", ".nf", ".fi", `.\"`}

func checkNoInjection(t *testing.T, out string) {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		if !strings.HasPrefix(l, ".") && !strings.HasPrefix(l, "'") {
			continue
		}
		ok := false
		for _, m := range macros {
			ok = ok || strings.HasPrefix(l, m)
		}
		if !ok {
			t.Fatalf("unexpected request line %q in:\n%s", l, out)
		}
	}
}

func FuzzMarkdown(f *testing.F) {
	for _, s := range []string{"", "# T\n\ntext", "* a\n* b", "1. x\n2. y", "    code\n", "<!-- x", "**b** *i* `c`", ".x\n'y", "## \xff\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, md string) {
		var p Page
		p.Markdown(md)
		checkNoInjection(t, p.String())
	})
}

func FuzzText(f *testing.F) {
	for _, s := range []string{"a", ".SH x", "'x", "\\fB", "a\nb\n.c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var p Page
		p.Text(Escape(s))
		p.Tagged(B(s), Escape(s))
		p.Example(s)
		checkNoInjection(t, p.String())
		if strings.Contains(Escape(s), `\f`) {
			t.Fatalf("Escape(%q) lets a font escape through", s)
		}
	})
}
