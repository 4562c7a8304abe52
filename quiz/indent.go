package quiz

import (
	"bytes"
	"fmt"
	"strings"
)

// indentMessages are the yaml.v3 syntax errors that a line indented wrongly
// causes. yaml.v3 reports them where the parser gave up, which can be the
// start of the enclosing block, 25 lines above the mistake.
var indentMessages = []string{
	"did not find expected key",
	"did not find expected '-' indicator",
	"did not find expected <document start>",
	"mapping values are not allowed in this context",
	"block sequence entries are not allowed in this context",
	"could not find expected ':'",
}

func isIndentMessage(msg string) bool {
	for _, p := range indentMessages {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// indentBreak finds the first line whose indentation fits none of the
// blocks open above it: a line dedented to a column no enclosing block
// uses (3 spaces among keys at 4 and 2), or a key or list item indented
// deeper under a line that opens no block. It reads lines, not YAML: block
// scalars (|, >) and flow collections and quotes spanning lines are skipped,
// and it is only asked when yaml.v3 has already found an indentation error.
// It returns the line (1-based), the column of its first character and what
// is wrong, or line 0 when every line fits.
func indentBreak(data []byte) (int, int, string) {
	stack := []int{0} // columns of the open blocks, outermost first
	prev, prevOpens := 0, true
	scalarAt := -1 // inside a block scalar started by a key at this column
	var fl flow    // open [ { and quotes carried over from the lines above
	for i, raw := range bytes.Split(data, []byte("\n")) {
		line := strings.TrimRight(string(raw), "\r")
		text := strings.TrimLeft(line, " ")
		ind := len(line) - len(text)
		if text == "" || text[0] == '#' || text == "---" {
			continue
		}
		if scalarAt >= 0 {
			if ind > scalarAt {
				continue
			}
			scalarAt = -1
		}
		if fl.open() {
			fl = fl.scan(line)
			continue
		}
		if text[0] == '\t' {
			return 0, 0, ""
		}
		switch {
		case ind > prev && !prevOpens && looksLikeEntry(text):
			return i + 1, ind + 1, fmt.Sprintf("indented %s, %d more than the line above, which opens no block", spaces(ind), ind-prev)
		case ind > prev:
			stack = append(stack, ind)
		case ind < prev:
			inner := stack[len(stack)-1]
			for len(stack) > 1 && stack[len(stack)-1] > ind {
				inner = stack[len(stack)-1]
				stack = stack[:len(stack)-1]
			}
			if outer := stack[len(stack)-1]; outer != ind {
				return i + 1, ind + 1, fmt.Sprintf("indented %s where the lines around it use %d or %d (%s)", spaces(ind), inner, outer, fixHint(ind, outer, inner))
			}
		}
		prev, prevOpens = ind, false
		// "- key: value" opens a second level at the key's column.
		for strings.HasPrefix(text, "- ") || text == "-" {
			if text == "-" {
				prevOpens = true
				break
			}
			rest := strings.TrimLeft(text[1:], " ")
			col := prev + len(text) - len(rest)
			stack = append(stack, col)
			prev, text = col, rest
		}
		body := stripComment(text)
		switch {
		case strings.HasSuffix(body, ":") || body == "-":
			prevOpens = true
		case blockScalarRe(body):
			scalarAt = prev
		default:
			fl = fl.scan(body)
		}
	}
	return 0, 0, ""
}

func fixHint(ind, outer, inner int) string {
	if inner-ind <= ind-outer {
		return fmt.Sprintf("%s less than the lines it belongs with?", spaces(inner-ind))
	}
	return fmt.Sprintf("%s more than the block it goes back to?", spaces(ind-outer))
}

func spaces(n int) string {
	if n == 1 {
		return "1 space"
	}
	return fmt.Sprintf("%d spaces", n)
}

// looksLikeEntry: a key ("name: ...", "name:") or a list item ("- ..."),
// as opposed to the continuation of a plain multi-line scalar.
func looksLikeEntry(text string) bool {
	if strings.HasPrefix(text, "- ") || text == "-" {
		return true
	}
	body := stripComment(text)
	if i := strings.Index(body, ":"); i > 0 && (i == len(body)-1 || body[i+1] == ' ') {
		return !strings.ContainsAny(body[:i], " \"'[{")
	}
	return false
}

// blockScalarRe: "key: |", "key: >-", "key: |2" and the like.
func blockScalarRe(body string) bool {
	i := strings.LastIndex(body, ": ")
	if i < 0 {
		return strings.HasPrefix(body, "|") || strings.HasPrefix(body, ">")
	}
	v := strings.TrimSpace(body[i+2:])
	return v != "" && (v[0] == '|' || v[0] == '>') && strings.Trim(v[1:], "+-0123456789") == ""
}

// stripComment drops a " # comment" outside quotes.
func stripComment(text string) string {
	var quote byte
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || text[i-1] == ' '):
			return strings.TrimRight(text[:i], " ")
		}
	}
	return strings.TrimRight(text, " ")
}

// flow is what a line leaves open for the next: [ and { nesting, and a
// quoted scalar that continues on the next line.
type flow struct {
	depth int
	quote byte
}

func (f flow) open() bool { return f.depth > 0 || f.quote != 0 }

// scan reads one more line of text.
func (f flow) scan(text string) flow {
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case f.quote != 0:
			if c == '\\' && f.quote == '"' {
				i++
			} else if c == f.quote {
				f.quote = 0
			}
		case c == '"' || c == '\'':
			// a quote inside a plain scalar (it's) is text
			if i == 0 || strings.ContainsRune(" [{,:", rune(text[i-1])) {
				f.quote = c
			}
		case c == '[' || c == '{':
			f.depth++
		case c == ']' || c == '}':
			if f.depth > 0 {
				f.depth--
			}
		case c == '#' && (i == 0 || text[i-1] == ' '):
			return f
		}
	}
	return f
}
