// Package render draws quiz questions, feedback and summaries for a
// terminal (colour from lipgloss, Python highlighted with chroma) or as
// plain text a script can read.
package render

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Escape makes pack text safe to print: every control character except
// newline and tab (C0, DEL and the C1 range U+0080-U+009F, which some
// terminals obey as escape sequences) is shown as a Go escape such as \x1b
// or \u009b, and invalid UTF-8 bytes as \xNN. A pack must never be able to
// move the cursor, retitle the window or change colours.
func Escape(s string) string {
	clean := true
	for _, r := range s {
		if isControl(r) || r == utf8.RuneError {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\r':
			b.WriteString(`\r`)
		case isControl(r) && r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case isControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func isControl(r rune) bool {
	if r == '\n' || r == '\t' {
		return false
	}
	return r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f
}
