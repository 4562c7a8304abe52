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
//
// Bidirectional overrides and isolates, and zero-width characters, are shown
// as ‹U+202E›: they are not control codes to a terminal, but they make code
// display differently from what it is (Trojan Source, CVE-2021-42574), so a
// snippet that looks like it prints one thing could print another.
func Escape(s string) string {
	clean := true
	for _, r := range s {
		if isControl(r) || r == utf8.RuneError || isInvisible(r) {
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
		case isInvisible(r):
			fmt.Fprintf(&b, "‹U+%04X›", r)
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

// isInvisible reports the characters that change how text around them is
// shown without being seen themselves: bidi embeddings, overrides, isolates
// and marks; zero-width spaces and joiners; the line and paragraph
// separators; the byte order mark.
func isInvisible(r rune) bool {
	switch {
	case r >= 0x202a && r <= 0x202e, // LRE RLE PDF LRO RLO
		r >= 0x2066 && r <= 0x2069,            // LRI RLI FSI PDI
		r == 0x200e, r == 0x200f, r == 0x061c, // LRM RLM ALM
		r >= 0x200b && r <= 0x200d, // ZWSP ZWNJ ZWJ
		r >= 0x2060 && r <= 0x2064, // word joiner, invisible operators
		r == 0x2028, r == 0x2029, r == 0xfeff, r == 0x180e, r == 0x00ad:
		return true
	}
	return false
}
