package roff

import (
	"strings"
)

// Markdown appends the Markdown subset used by the project's reference
// files to p: "#"/"##"/"###" headings (the first "#" heading is dropped,
// the page has its own NAME), paragraphs, "* " bullets, "1. " numbered
// items, four-space indented code blocks, HTML comments (dropped) and the
// inline forms `code`, **bold** and *italic*. Anything else is text.
func (p *Page) Markdown(md string) {
	lines := strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n")
	var para []string
	label := "" // non-empty inside a list item
	flush := func() {
		if len(para) == 0 {
			return
		}
		body := Inline(strings.Join(para, " "))
		if label != "" {
			p.Item(label, 4, body)
		} else {
			p.Para()
			p.Text(body)
		}
		para, label = nil, ""
	}
	seenTitle := false
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		trim := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(trim, "<!--"):
			flush()
			for ; i < len(lines) && !strings.Contains(lines[i], "-->"); i++ {
			}
		case trim == "":
			flush()
		case strings.HasPrefix(l, "    ") && len(para) == 0:
			var code []string
			for ; i < len(lines) && (strings.HasPrefix(lines[i], "    ") || strings.TrimSpace(lines[i]) == ""); i++ {
				code = append(code, strings.TrimPrefix(lines[i], "    "))
			}
			i--
			for len(code) > 0 && strings.TrimSpace(code[len(code)-1]) == "" {
				code = code[:len(code)-1]
			}
			p.Example(code...)
		case strings.HasPrefix(trim, "#"):
			flush()
			level := len(trim) - len(strings.TrimLeft(trim, "#"))
			title := strings.TrimSpace(trim[level:])
			switch {
			case level == 1 && !seenTitle:
				seenTitle = true
			case level <= 2:
				p.Section(stripInline(title))
			default:
				p.Subsection(Inline(title))
			}
		case strings.HasPrefix(trim, "* ") || strings.HasPrefix(trim, "- "):
			flush()
			label = `\(bu`
			para = append(para, strings.TrimSpace(trim[2:]))
		case numbered(trim) > 0:
			flush()
			n := numbered(trim)
			label = trim[:n]
			para = append(para, strings.TrimSpace(trim[n:]))
		default:
			para = append(para, trim)
		}
	}
	flush()
}

// numbered returns the length of a leading "12." list marker, or 0.
func numbered(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 || i > 3 || i+1 >= len(s) || s[i] != '.' || s[i+1] != ' ' {
		return 0
	}
	return i + 1
}

// stripInline removes Markdown inline markers, for section titles.
func stripInline(s string) string {
	return strings.NewReplacer("`", "", "**", "").Replace(s)
}

// Inline converts `code`, **bold** and *italic* to roff fonts and escapes
// the rest. Unbalanced markers are kept as text.
func Inline(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		switch {
		case s[0] == '`':
			if j := strings.IndexByte(s[1:], '`'); j >= 0 {
				b.WriteString(B(s[1 : 1+j]))
				s = s[2+j:]
				continue
			}
		case strings.HasPrefix(s, "**"):
			if j := strings.Index(s[2:], "**"); j > 0 {
				b.WriteString(`\fB` + Escape(s[2:2+j]) + `\fR`)
				s = s[4+j:]
				continue
			}
		case s[0] == '*' && len(s) > 1 && s[1] != ' ':
			if j := strings.IndexByte(s[1:], '*'); j > 0 {
				b.WriteString(`\fI` + Escape(s[1:1+j]) + `\fR`)
				s = s[2+j:]
				continue
			}
		}
		// Copy up to the next marker (at least one byte, whole runes).
		j := strings.IndexAny(s[1:], "`*")
		if j < 0 {
			j = len(s) - 1
		}
		b.WriteString(Escape(s[:1+j]))
		s = s[1+j:]
	}
	return b.String()
}
