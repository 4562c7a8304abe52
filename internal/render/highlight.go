package render

import (
	"embed"
	"strings"
	"sync"

	"charm.land/lipgloss/v2"
	"github.com/alecthomas/chroma/v2"
)

// python.xml is chroma's own Python lexer (MIT licence, chroma v2.27.0
// lexers/embedded/python.xml), embedded here rather than reached through
// chroma's lexers package: that package parses all of its ~250 lexer
// definitions when the program starts, which costs more than the whole
// start-up budget of pyquiz play. The same goes for chroma's styles
// package, so the colours come from lipgloss styles below.
//
//go:embed python.xml
var lexerFS embed.FS

var (
	lexerOnce sync.Once
	lexer     chroma.Lexer
)

func pythonLexer() chroma.Lexer {
	lexerOnce.Do(func() {
		l, err := chroma.NewXMLLexer(lexerFS, "python.xml")
		if err == nil {
			lexer = chroma.Coalesce(l)
		}
	})
	return lexer
}

// Token colours in the basic 16-colour palette, so they follow the user's
// terminal theme.
var (
	stKeyword  = lipgloss.NewStyle().Foreground(lipgloss.Color("5")).Bold(true)
	stBuiltin  = lipgloss.NewStyle().Foreground(lipgloss.Color("6"))
	stFunction = lipgloss.NewStyle().Foreground(lipgloss.Color("4"))
	stString   = lipgloss.NewStyle().Foreground(lipgloss.Color("2"))
	stNumber   = lipgloss.NewStyle().Foreground(lipgloss.Color("3"))
	stComment  = lipgloss.NewStyle().Foreground(lipgloss.Color("8")).Italic(true)
	stOperator = lipgloss.NewStyle().Foreground(lipgloss.Color("1"))
)

func tokenStyle(t chroma.TokenType) (lipgloss.Style, bool) {
	switch {
	case t.InCategory(chroma.Keyword) || t == chroma.OperatorWord:
		return stKeyword, true
	case t == chroma.NameBuiltin || t == chroma.NameBuiltinPseudo || t == chroma.NameException:
		return stBuiltin, true
	case t == chroma.NameFunction || t == chroma.NameClass || t == chroma.NameDecorator || t == chroma.NameFunctionMagic:
		return stFunction, true
	case t.InSubCategory(chroma.LiteralString):
		return stString, true
	case t.InSubCategory(chroma.LiteralNumber):
		return stNumber, true
	case t.InCategory(chroma.Comment):
		return stComment, true
	case t == chroma.Operator:
		return stOperator, true
	}
	return lipgloss.Style{}, false
}

// highlight returns code (already escaped) with ANSI colours, or the code
// unchanged when it cannot be lexed.
func highlight(code string) string {
	l := pythonLexer()
	if l == nil {
		return code
	}
	it, err := l.Tokenise(nil, code)
	if err != nil {
		return code
	}
	var b strings.Builder
	for tok := it(); tok != chroma.EOF; tok = it() {
		st, ok := tokenStyle(tok.Type)
		if !ok {
			b.WriteString(tok.Value)
			continue
		}
		// Style line by line so a newline never sits inside an escape
		// sequence run (indentation is added per line afterwards).
		lines := strings.Split(tok.Value, "\n")
		for i, ln := range lines {
			if i > 0 {
				b.WriteByte('\n')
			}
			if ln != "" {
				b.WriteString(st.Render(ln))
			}
		}
	}
	return b.String()
}
