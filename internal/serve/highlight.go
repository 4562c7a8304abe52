package serve

import (
	"html"
	"html/template"
	"regexp"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"

	"github.com/pyquiz/pyquiz/internal/render"
)

// The formatter writes CSS classes (style.css colours them for the light
// and the dark theme); the style is only needed by the API. chroma's styles
// package is left out: it parses every built-in style when the program
// starts.
var (
	codeFormatter = sync.OnceValue(func() *chromahtml.Formatter {
		return chromahtml.New(chromahtml.WithClasses(true), chromahtml.TabWidth(4))
	})
	codeStyle = sync.OnceValue(func() *chroma.Style {
		return chroma.MustNewStyle("pyquiz", chroma.StyleEntries{chroma.Background: ""})
	})
)

// codeHTML is code highlighted for Python as HTML with classes. chroma's
// formatter escapes every token; control characters are shown escaped as in
// the terminal.
func codeHTML(code string) template.HTML {
	code = render.Escape(strings.TrimRight(code, "\n"))
	if l := render.PythonLexer(); l != nil {
		if it, err := l.Tokenise(nil, code); err == nil {
			var b strings.Builder
			if codeFormatter().Format(&b, codeStyle(), it) == nil {
				return template.HTML(b.String())
			}
		}
	}
	return template.HTML(`<pre class="chroma"><code>` + html.EscapeString(code) + `</code></pre>`)
}

var codeSpanHTML = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("`([^`\n]+)`") })

// textHTML is pack text as HTML: escaped, `code` spans as <code>, blank
// lines as paragraph breaks.
func textHTML(s string) template.HTML {
	s = html.EscapeString(render.Escape(strings.TrimSpace(s)))
	s = codeSpanHTML().ReplaceAllString(s, "<code>$1</code>")
	paras := strings.Split(s, "\n\n")
	for i, p := range paras {
		lines := strings.Split(strings.Trim(p, "\n"), "\n")
		sep := " " // a paragraph folded by hand in the YAML reads as one
		for _, ln := range lines[1:] {
			if t := strings.TrimLeft(ln, " \t"); t != ln || strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") {
				sep = "<br>"
			}
		}
		paras[i] = "<p>" + strings.Join(lines, sep) + "</p>"
	}
	return template.HTML(strings.Join(paras, "\n"))
}
