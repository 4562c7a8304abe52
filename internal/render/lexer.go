package render

import "github.com/alecthomas/chroma/v2"

// PythonLexer is the Python lexer code is highlighted with (nil if it
// cannot be built), for other renderers such as serve's HTML pages.
func PythonLexer() chroma.Lexer { return pythonLexer() }
