package report

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/pyquiz/pyquiz/internal/render"
	"github.com/pyquiz/pyquiz/quiz"
)

func pts(x float64) string { return render.Points(x) }

// codeSpan is a Markdown code span in pack text; it may run over a line
// break but never over a blank line (text is split into paragraphs first).
var codeSpan = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("`([^`]+)`") })

// piece is a run of pack text: prose, or the inside of a code span.
type piece struct {
	text string
	code bool
}

// pieces splits one paragraph of pack text into prose and code spans.
func pieces(para string) []piece {
	var out []piece
	last := 0
	for _, m := range codeSpan().FindAllStringSubmatchIndex(para, -1) {
		if m[0] > last {
			out = append(out, piece{text: para[last:m[0]]})
		}
		out = append(out, piece{text: para[m[2]:m[3]], code: true})
		last = m[1]
	}
	if last < len(para) {
		out = append(out, piece{text: para[last:]})
	}
	return out
}

// mdEscape keeps pack text from turning into Markdown structure or HTML
// in a renderer: control characters (C0, DEL, C1, invalid UTF-8) are shown
// as escapes, then the characters that start markup are backslash-escaped.
func mdEscape(s string) string {
	s = render.Escape(s)
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>|", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdSpan is a Markdown code span around s, with a fence of backticks
// longer than any run inside it.
func mdSpan(s string) string {
	s = strings.ReplaceAll(render.Escape(s), "\n", " ")
	f := "`"
	for strings.Contains(s, f) {
		f += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || strings.HasPrefix(s, " ") && strings.HasSuffix(s, " ") {
		s = " " + s + " "
	}
	return f + s + f
}

// mdText is pack prose as Markdown: escaped, with its code spans kept as
// code spans.
func mdText(s string) string {
	paras := strings.Split(s, "\n\n")
	for i, p := range paras {
		var b strings.Builder
		for _, pc := range pieces(p) {
			if pc.code {
				b.WriteString(mdSpan(pc.text))
			} else {
				b.WriteString(mdEscape(pc.text))
			}
		}
		paras[i] = b.String()
	}
	return strings.Join(paras, "\n\n")
}

// fence is a fenced code block: control characters escaped, and a fence
// longer than any run of backticks in the code.
func fence(lang, code, indent string) string {
	code = strings.TrimRight(render.Escape(code), "\n")
	f := "```"
	for strings.Contains(code, f) {
		f += "`"
	}
	lines := strings.Split(code, "\n")
	return indent + f + lang + "\n" + indent + strings.Join(lines, "\n"+indent) + "\n" + indent + f
}

// mdChoices lists the picked choices with the letters the student saw.
func mdChoices(it *quiz.Item, canonical []int) string {
	var parts []string
	for _, i := range shownPicks(it, canonical) {
		parts = append(parts, quiz.Letter(i)+") "+mdText(it.Question.Choices[it.Order[i]]))
	}
	return strings.Join(parts, ", ")
}

// mdAnswer is an answer after "- Your answer:": inline, or a code block
// under the item when it has several lines.
func mdAnswer(it *quiz.Item, text string, ok bool, status string) string {
	q := it.Question
	switch {
	case !ok:
		return status
	case q.Type == quiz.TrueFalse:
		return text
	case strings.Contains(strings.TrimRight(text, "\n"), "\n"):
		return "\n\n" + fence("text", text, "  ")
	}
	return mdSpan(strings.TrimRight(text, "\n"))
}

func writeMarkdown(w io.Writer, s *quiz.Session, info Info) error {
	sh := Build(s, info)
	sum := s.Summary()
	var b strings.Builder
	fmt.Fprintf(&b, "# pyquiz report: %s\n\n", mdEscape(sh.Pack))
	if sh.Student != "" {
		fmt.Fprintf(&b, "- Student: %s\n", mdEscape(sh.Student))
	}
	fmt.Fprintf(&b, "- Mode: %s\n", sh.Mode)
	if sh.Started != "" {
		fmt.Fprintf(&b, "- Started: %s\n", sh.Started)
	}
	fmt.Fprintf(&b, "- Time: %s\n", info.Duration.Round(time.Second))
	fmt.Fprintf(&b, "- Score: **%s/%s (%.0f%%)**\n\n", pts(sh.Score), pts(sh.Max), sh.Percent)
	for _, g := range groups(sum) {
		if len(g.rows) == 0 {
			continue
		}
		fmt.Fprintf(&b, "## %s\n\n| %s | questions | right | points | percent |\n| --- | ---: | ---: | ---: | ---: |\n", g.title, strings.ToLower(strings.TrimPrefix(g.title, "By ")))
		for _, x := range g.rows {
			fmt.Fprintf(&b, "| %s | %d | %d | %s/%s | %.0f%% |\n", mdEscape(x.Name), x.Questions, x.Correct, pts(x.Points), pts(x.Max), x.Percent())
		}
		b.WriteString("\n")
	}
	b.WriteString("## Questions\n")
	for i, r := range s.Records {
		it := r.Item
		q := it.Question
		fmt.Fprintf(&b, "\n### %d. %s %s (%s/%s)\n\n%s\n", i+1, mdEscape(q.FullID()), mark(r), pts(r.Points), pts(r.Max), mdText(prompt(it)))
		if q.Code != "" {
			fmt.Fprintf(&b, "\n%s\n", fence("python", q.Code, ""))
		}
		if len(it.Order) > 0 {
			b.WriteString("\n")
			for i, c := range it.Order {
				fmt.Fprintf(&b, "- %s) %s\n", quiz.Letter(i), mdText(q.Choices[c]))
			}
		}
		given, gok := givenRaw(r)
		key := quiz.KeyText(q, it.Key)
		if q.Type == quiz.Single || q.Type == quiz.Multi {
			if gok {
				given = mdChoices(it, r.Response.Choices)
			}
			fmt.Fprintf(&b, "\n- Your answer: %s\n", given)
			fmt.Fprintf(&b, "- Right answer: %s\n", mdChoices(it, it.Key.Choices))
		} else {
			fmt.Fprintf(&b, "\n- Your answer: %s\n", mdAnswer(it, given, gok, given))
			fmt.Fprintf(&b, "- Right answer: %s\n", mdAnswer(it, key, true, ""))
		}
		if r.Answered && !r.Correct {
			for _, f := range quiz.FeedbackFor(q, it.Key, r.Response) {
				fmt.Fprintf(&b, "\n> %s\n", strings.ReplaceAll(mdText(strings.TrimSpace(f)), "\n", "\n> "))
			}
		}
		if e := strings.TrimSpace(q.Explanation); e != "" {
			fmt.Fprintf(&b, "\n%s\n", mdText(e))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
