package gift

import (
	"html"
	"regexp"
	"strings"
	"sync"
)

var (
	preRe      = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?is)<pre[^>]*>(.*?)</pre\s*>`) })
	fenceRe    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("(?s)```[a-zA-Z0-9_+-]*\n(.*?)\n?```") })
	brRe       = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)<br\s*/?>`) })
	blockEndRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)</(p|div|h[1-6]|ul|ol|table|blockquote)\s*>|<(p|div|h[1-6]|ul|ol|table|blockquote)(\s[^>]*)?>`)
	})
	liRe    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)<li(\s[^>]*)?>`) })
	liEndRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)</li\s*>|</tr\s*>`) })
	// A tag starts with a letter (or /letter, or is a comment), so "a < b"
	// stays text, as it does in a browser.
	tagRe2    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?s)<!--.*?-->|</?[a-zA-Z][^>]*>`) })
	spacesRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[ \t\r\f\v\n]+`) })
	hSpacesRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[ \t\r\f\v]+`) })
	blanksRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\n[ \t]*\n(\s*\n)*`) })
)

// plainText turns Moodle text into the plain text pyquiz shows: tags gone,
// entities decoded, paragraphs and line breaks kept as blank lines and
// newlines. With wantCode, a <pre> block (or a ``` fence in Markdown) is
// taken out and returned as code, indentation intact.
func plainText(t Text, wantCode bool) (text, code string) {
	s := t.Text
	switch t.Format {
	case FormatPlain:
		return strings.TrimSpace(s), ""
	case FormatMarkdown:
		if wantCode {
			if m := fenceRe().FindStringSubmatchIndex(s); m != nil {
				code = s[m[2]:m[3]]
				s = s[:m[0]] + "\n\n" + s[m[1]:]
			}
		}
		return tidy(s), code
	}
	if wantCode {
		if m := preRe().FindStringSubmatchIndex(s); m != nil {
			code = html.UnescapeString(tagRe2().ReplaceAllString(brRe().ReplaceAllString(s[m[2]:m[3]], "\n"), ""))
			code = strings.Trim(code, "\n")
			s = s[:m[0]] + "<p>" + s[m[1]:]
		}
	}
	// Other <pre> blocks keep their lines.
	s = preRe().ReplaceAllStringFunc(s, func(p string) string {
		inner := preRe().FindStringSubmatch(p)[1]
		return "<p>" + strings.ReplaceAll(brRe().ReplaceAllString(inner, "\n"), "\n", "<br>") + "<p>"
	})
	if t.Format == FormatHTML {
		// In HTML, a newline in the source is just a space.
		s = spacesRe().ReplaceAllString(s, " ")
	}
	s = brRe().ReplaceAllString(s, "\n")
	s = blockEndRe().ReplaceAllString(s, "\n\n")
	s = liRe().ReplaceAllString(s, "\n- ")
	s = liEndRe().ReplaceAllString(s, "")
	s = tagRe2().ReplaceAllString(s, "")
	s = tidy(html.UnescapeString(s))
	// &nbsp; keeps a run of spaces (an output's alignment) through tidy.
	return strings.ReplaceAll(s, "\u00a0", " "), code
}

// tidy trims every line, folds runs of spaces and blank lines, and trims
// the whole text.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(hSpacesRe().ReplaceAllString(l, " "))
	}
	s = strings.Join(lines, "\n")
	s = blanksRe().ReplaceAllString(s, "\n\n")
	return strings.TrimSpace(s)
}

// gift escapes text for a GIFT file: the control characters and the
// backslash get a backslash, and a newline becomes \n so that a question
// stays on one line (Moodle trims every line, which would lose indentation).
func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '~', '=', '#', '{', '}', ':':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// htmlEscape escapes what HTML text needs: &, < and >. Quotes stay, so no
// numeric entity brings a # into the GIFT.
func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

var paraSplit = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\n[ \t]*\n`) })

// htmlParagraphs writes plain text as HTML: blank lines separate
// paragraphs; single newlines become <br> where they mean something.
func htmlParagraphs(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if s == "" {
		return ""
	}
	var b strings.Builder
	for _, p := range paraSplit().Split(s, -1) {
		p = strings.TrimSpace(p)
		b.WriteString("<p>")
		if keepLines(p) {
			b.WriteString(strings.ReplaceAll(htmlEscape(p), "\n", "<br>"))
		} else {
			b.WriteString(htmlEscape(strings.Join(strings.Fields(p), " ")))
		}
		b.WriteString("</p>")
	}
	return b.String()
}

// keepLines reports whether a paragraph's line breaks mean something: lines
// that start with a space, a list marker, a code fence or a >>> prompt (the
// rule pyquiz's terminal renderer uses). Other paragraphs were folded by
// hand in YAML and read as one line.
func keepLines(p string) bool {
	for _, ln := range strings.Split(p, "\n") {
		t := strings.TrimLeft(ln, " \t")
		if t != ln || strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") || strings.HasPrefix(t, "```") || strings.HasPrefix(t, ">>>") {
			return true
		}
	}
	return false
}
