package render

import (
	"html"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
)

// htmlStyle colours Python for the HTML report. It is built here rather
// than taken from chroma's styles package, which parses every style it
// has when the program starts (see python.xml above).
var htmlStyle = sync.OnceValue(func() *chroma.Style {
	return chroma.MustNewStyle("pyquiz", chroma.StyleEntries{
		chroma.Background:        "#24292e bg:#f6f8fa",
		chroma.Keyword:           "bold #8959a8",
		chroma.OperatorWord:      "bold #8959a8",
		chroma.NameBuiltin:       "#3e999f",
		chroma.NameBuiltinPseudo: "#3e999f",
		chroma.NameException:     "#3e999f",
		chroma.NameFunction:      "#4271ae",
		chroma.NameClass:         "#4271ae",
		chroma.NameDecorator:     "#4271ae",
		chroma.LiteralString:     "#718c00",
		chroma.LiteralNumber:     "#c76b00",
		chroma.Comment:           "italic #6a737d",
		chroma.Operator:          "#c82829",
	})
})

// htmlFormatter writes inline styles, so the report stays one
// self-contained file that needs no stylesheet.
var htmlFormatter = sync.OnceValue(func() *chromahtml.Formatter {
	return chromahtml.New(chromahtml.WithClasses(false), chromahtml.TabWidth(4))
})

// HTMLCode returns a Python snippet as an HTML <pre> block highlighted with
// inline styles. Control characters are escaped first (Escape), so the page
// carries none; when the code cannot be lexed it is shown plain.
func HTMLCode(code string) string {
	code = strings.TrimRight(strings.ReplaceAll(Escape(code), "\t", "    "), "\n")
	plain := `<pre style="background-color:#f6f8fa;padding:.6rem;overflow:auto"><code>` + html.EscapeString(code) + "</code></pre>"
	l := pythonLexer()
	if l == nil {
		return plain
	}
	it, err := l.Tokenise(nil, code)
	if err != nil {
		return plain
	}
	var b strings.Builder
	if err := htmlFormatter().Format(&b, htmlStyle(), it); err != nil {
		return plain
	}
	return b.String()
}
