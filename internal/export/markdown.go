package export

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/pyquiz/pyquiz/quiz"
)

// Markdown writes a printable exam: numbered questions, code fenced,
// choices lettered with a box to tick, and room for written answers. The
// questions keep the packs' order, so the key from MarkdownKey matches.
func Markdown(w io.Writer, packs []*quiz.Pack, opts Options) error {
	var b strings.Builder
	title, qs := examTitle(packs), questionsOf(packs)
	total := 0.0
	kinds := map[quiz.Type]bool{}
	for _, q := range qs {
		total += q.Points
		kinds[q.Type] = true
	}
	fmt.Fprintf(&b, "# %s\n\n", mdText(title))
	b.WriteString("Name: \\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_ Date: \\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\n\n")
	fmt.Fprintf(&b, "%s, %s.", count(len(qs), "question"), count2(total, "point"))
	if kinds[quiz.Single] || kinds[quiz.TrueFalse] {
		b.WriteString(" ○ marks a question with one right answer: fill in one circle.")
	}
	if kinds[quiz.Multi] {
		b.WriteString(" ☐ marks a question with several right answers: tick every right one.")
	}
	if kinds[quiz.Output] {
		b.WriteString(" Write output exactly as the program prints it, one line per line.")
	}
	b.WriteString("\n")
	pack := ""
	for i, q := range qs {
		if len(packs) > 1 && q.PackID != pack {
			pack = q.PackID
			fmt.Fprintf(&b, "\n## %s\n", mdText(packTitle(packs, pack)))
		}
		a := ask(q, opts)
		fmt.Fprintf(&b, "\n---\n\n**%d.** %s *(%s)*\n", i+1, mdText(a.prompt), count2(q.Points, "point"))
		if q.Code != "" {
			fmt.Fprintf(&b, "\n%s\n", fence(q.Code, "python"))
		}
		b.WriteString("\n")
		switch q.Type {
		case quiz.Single, quiz.Multi:
			box := "○"
			if q.Type == quiz.Multi {
				box = "☐"
			}
			for j, c := range q.Choices {
				end := "\\\n"
				if j == len(q.Choices)-1 {
					end = "\n"
				}
				fmt.Fprintf(&b, "%s **%s)** %s%s", box, quiz.Letter(j), mdText(c), end)
			}
		case quiz.TrueFalse:
			b.WriteString("○ True &emsp; ○ False\n")
		case quiz.Short:
			b.WriteString("Answer: " + blank(40) + "\n")
		case quiz.Output:
			lines := 1
			if len(a.key.Texts) > 0 {
				lines = strings.Count(strings.TrimRight(a.key.Texts[0], "\n"), "\n") + 1
			}
			lines = min(max(lines+1, 2), 8)
			b.WriteString("Output:\n\n")
			for j := 0; j < lines; j++ {
				end := "\\\n"
				if j == lines-1 {
					end = "\n"
				}
				b.WriteString(blank(48) + end)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// MarkdownKey writes the answer key of the exam Markdown writes: the
// answer of every question with its explanation and the feedback for the
// tempting wrong answers.
func MarkdownKey(w io.Writer, packs []*quiz.Pack, opts Options) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: answer key\n", mdText(examTitle(packs)))
	for i, q := range questionsOf(packs) {
		a := ask(q, opts)
		fmt.Fprintf(&b, "\n**%d.** ", i+1)
		switch q.Type {
		case quiz.Single, quiz.Multi:
			var parts []string
			for _, c := range a.key.Choices {
				parts = append(parts, fmt.Sprintf("**%s)** %s", quiz.Letter(c), mdText(q.Choices[c])))
			}
			b.WriteString(strings.Join(parts, "; ") + "\n")
		case quiz.TrueFalse:
			if a.key.Bool {
				b.WriteString("True\n")
			} else {
				b.WriteString("False\n")
			}
		case quiz.Short:
			var parts []string
			for _, t := range a.key.Texts {
				parts = append(parts, mdText(t))
			}
			b.WriteString(strings.Join(parts, " *or* ") + "\n")
		case quiz.Output:
			text := ""
			if len(a.key.Texts) > 0 {
				text = a.key.Texts[0]
			}
			if strings.Contains(strings.TrimRight(text, "\n"), "\n") {
				fmt.Fprintf(&b, "the program prints:\n\n%s\n", fence(text, "text"))
			} else {
				fmt.Fprintf(&b, "%s\n", codeSpan(strings.TrimRight(text, "\n")))
			}
		}
		if e := strings.TrimSpace(q.Explanation); e != "" {
			fmt.Fprintf(&b, "\n%s\n", mdText(e))
		}
		if len(q.Feedback) > 0 {
			b.WriteString("\n*Wrong answers:*\n")
		}
		for _, k := range feedbackKeys(q) {
			label := k
			if q.Type == quiz.Single || q.Type == quiz.Multi {
				label = "**" + k + ")**"
			} else if q.Type == quiz.Output || q.Type == quiz.Short {
				label = codeSpan(quiz.NormalizeOutput(k))
			}
			fmt.Fprintf(&b, "\n- %s: %s", label, mdText(q.Feedback[k]))
		}
		if len(q.Feedback) > 0 {
			b.WriteString("\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func examTitle(packs []*quiz.Pack) string {
	if len(packs) == 1 {
		return packs[0].Title
	}
	return "Python quiz"
}

func packTitle(packs []*quiz.Pack, id string) string {
	for _, p := range packs {
		if p.ID == id {
			return p.Title
		}
	}
	return id
}

func questionsOf(packs []*quiz.Pack) []*quiz.Question {
	var qs []*quiz.Question
	for _, p := range packs {
		qs = append(qs, p.Questions...)
	}
	return qs
}

func count(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func count2(x float64, word string) string {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if s == "1" {
		return "1 " + word
	}
	return s + " " + word + "s"
}

func blank(n int) string { return strings.Repeat(`\_`, n) }

// fence puts text in a fenced code block longer than any backtick run in it.
func fence(text, lang string) string {
	f := "```"
	for strings.Contains(text, f) {
		f += "`"
	}
	return f + lang + "\n" + strings.TrimRight(text, "\n") + "\n" + f
}

// codeSpan puts text in a code span, padded where it starts or ends with a
// backtick.
func codeSpan(s string) string {
	if s == "" {
		return "*(nothing)*"
	}
	f := "`"
	for strings.Contains(s, f) {
		f += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return f + " " + s + " " + f
	}
	return f + s + f
}

// mdText writes pack text as Markdown that shows it as written: `code`
// spans are kept (packs use them on purpose), everything else that
// Markdown would take for markup is escaped. Paragraphs folded by hand in
// YAML flow as one; where line breaks mean something they are kept.
func mdText(s string) string {
	paras := paraSplit().Split(strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")), -1)
	for i, p := range paras {
		lines := strings.Split(strings.TrimSpace(p), "\n")
		sep := "\n"
		if isList(lines) {
			// A list written with "- " or "* " items stays a list.
			for j, ln := range lines {
				t := strings.TrimSpace(ln)
				if strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") {
					lines[j] = "- " + mdLine(strings.TrimSpace(t[2:]))
				} else {
					lines[j] = "  " + mdLine(t)
				}
			}
			paras[i] = strings.Join(lines, sep)
			continue
		}
		if keepLines(p) {
			sep = "\\\n"
		}
		for j, ln := range lines {
			lines[j] = strings.TrimRight(ln, " \t")
		}
		paras[i] = mdInline(lines, sep)
	}
	return strings.Join(paras, "\n\n")
}

// isList reports whether lines are list items (with continuation lines).
func isList(lines []string) bool {
	t := strings.TrimSpace(lines[0])
	return strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ")
}

var paraSplit = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\n[ \t]*\n`) })

// keepLines reports whether a paragraph's line breaks mean something: lines
// that start with a space, a list marker, a code fence or a >>> prompt (the
// rule pyquiz's terminal renderer uses).
func keepLines(p string) bool {
	for _, ln := range strings.Split(strings.TrimSpace(p), "\n") {
		t := strings.TrimLeft(ln, " \t")
		if t != ln || strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") || strings.HasPrefix(t, "```") || strings.HasPrefix(t, ">>>") {
			return true
		}
	}
	return false
}

// mdInline escapes a paragraph (lines joined by sep). Code spans are
// matched over the whole paragraph, because pack authors fold text by hand
// and a span often continues on the next line.
func mdInline(lines []string, sep string) string {
	text := strings.Join(lines, "\n")
	var b strings.Builder
	lineStart := true
	for len(text) > 0 {
		if lineStart {
			lineStart = false
			trimmed := strings.TrimLeft(text, " ")
			text = trimmed
			// A line that Markdown would read as a list, quote or heading.
			if strings.HasPrefix(trimmed, "- ") || strings.HasPrefix(trimmed, "+ ") || strings.HasPrefix(trimmed, "* ") {
				b.WriteString(`\`)
			} else if i := strings.IndexByte(trimmed, '.'); i > 0 && i < 10 && strings.Trim(trimmed[:i], "0123456789") == "" {
				b.WriteString(trimmed[:i] + `\`)
				text = trimmed[i:]
			}
			continue
		}
		switch c := text[0]; {
		case c == '\n':
			b.WriteString(sep)
			text = text[1:]
			lineStart = true
		case c == '`':
			n := len(text) - len(strings.TrimLeft(text, "`"))
			run := text[:n]
			if end := strings.Index(text[n:], run); end >= 0 && !strings.Contains(text[n:n+end], "\n\n") {
				span := text[:n+end+n]
				b.WriteString(strings.ReplaceAll(span, "\n", " "))
				text = text[n+end+n:]
				continue
			}
			b.WriteString(strings.ReplaceAll(run, "`", "\\`"))
			text = text[n:]
		default:
			if strings.IndexByte("\\*_[]<>#|~&", c) >= 0 {
				b.WriteByte('\\')
			}
			b.WriteByte(c)
			text = text[1:]
		}
	}
	return b.String()
}

// mdLine escapes one line.
func mdLine(line string) string { return mdInline([]string{line}, "\n") }

func feedbackKeys(q *quiz.Question) []string {
	keys := make([]string, 0, len(q.Feedback))
	for k := range q.Feedback {
		keys = append(keys, k)
	}
	// choices by letter, other answers as written
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}
