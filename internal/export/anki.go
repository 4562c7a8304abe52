package export

import (
	"crypto/sha256"
	"fmt"
	"io"
	"math/big"
	"strings"

	"github.com/pyquiz/pyquiz/quiz"
)

// Anki writes Anki's text import format (File > Import, Anki 2.1.55 and
// later): tab-separated notes of the Basic note type with a header that
// sets everything the import dialog would ask. Column 1 is a GUID made from
// the full question id, so importing an updated pack again updates its
// notes instead of adding copies; columns 2 and 3 are Front and Back as
// HTML (code in <pre>); column 4 holds the tags.
func Anki(w io.Writer, packs []*quiz.Pack, opts Options) error {
	var b strings.Builder
	deck := "pyquiz"
	if len(packs) == 1 {
		deck = "pyquiz::" + oneLine(packs[0].Title)
	}
	b.WriteString("#separator:tab\n#html:true\n#notetype:Basic\n")
	fmt.Fprintf(&b, "#deck:%s\n", deck)
	b.WriteString("#guid column:1\n#tags column:4\n")
	for _, p := range packs {
		for _, q := range p.Questions {
			a := ask(q, opts)
			fields := []string{GUID(q.FullID()), ankiFront(a), ankiBack(a), ankiTags(q)}
			for i, f := range fields {
				fields[i] = tsvField(f)
			}
			b.WriteString(strings.Join(fields, "\t") + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

const guidAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// GUID is the Anki note id of a question: 12 letters and digits from a
// SHA-256 of "pyquiz:" and the full id, the same on every export. (Letters
// and digits only: a field starting with # would be a comment line.)
func GUID(fullID string) string {
	sum := sha256.Sum256([]byte("pyquiz:" + fullID))
	n := new(big.Int).SetBytes(sum[:])
	base := big.NewInt(int64(len(guidAlphabet)))
	mod := new(big.Int)
	out := make([]byte, 12)
	for i := range out {
		n.DivMod(n, base, mod)
		out[i] = guidAlphabet[mod.Int64()]
	}
	return string(out)
}

func ankiFront(a asked) string {
	q := a.q
	var b strings.Builder
	b.WriteString(htmlText(a.prompt))
	if q.Code != "" {
		b.WriteString(`<pre><code class='language-python'>` + htmlCode(q.Code) + "</code></pre>")
	}
	switch q.Type {
	case quiz.Single, quiz.Multi:
		if q.Type == quiz.Multi {
			b.WriteString("<p><i>Several answers are right.</i></p>")
		}
		b.WriteString("<ol type='a'>")
		for _, c := range q.Choices {
			b.WriteString("<li>" + htmlInline(c) + "</li>")
		}
		b.WriteString("</ol>")
	case quiz.TrueFalse:
		b.WriteString("<p><i>True or false?</i></p>")
	}
	return b.String()
}

func ankiBack(a asked) string {
	q := a.q
	var b strings.Builder
	switch q.Type {
	case quiz.Single, quiz.Multi:
		b.WriteString("<ol type='a'>")
		for i, c := range q.Choices {
			if contains(a.key.Choices, i) {
				fmt.Fprintf(&b, "<li value='%d'><b>%s</b></li>", i+1, htmlInline(c))
			}
		}
		b.WriteString("</ol>")
	case quiz.TrueFalse:
		if a.key.Bool {
			b.WriteString("<p><b>True</b></p>")
		} else {
			b.WriteString("<p><b>False</b></p>")
		}
	case quiz.Short:
		var parts []string
		for _, t := range a.key.Texts {
			parts = append(parts, "<b>"+htmlInline(t)+"</b>")
		}
		b.WriteString("<p>" + strings.Join(parts, " or ") + "</p>")
	case quiz.Output:
		if len(a.key.Texts) > 0 {
			b.WriteString("<pre>" + htmlCode(a.key.Texts[0]) + "</pre>")
		}
	}
	if e := strings.TrimSpace(q.Explanation); e != "" {
		b.WriteString(htmlText(e))
	}
	for _, k := range feedbackKeys(q) {
		label := k
		if q.Type == quiz.Single || q.Type == quiz.Multi {
			if i := quiz.LetterIndex(k); i >= 0 && i < len(q.Choices) {
				label = k + ") " + q.Choices[i]
			}
		}
		b.WriteString("<p><i>" + htmlEscape(oneLine(label)) + "</i>: " + htmlEscape(q.Feedback[k]) + "</p>")
	}
	return b.String()
}

// ankiTags are the question's tags, its pack and difficulty; Anki splits
// tags on spaces.
func ankiTags(q *quiz.Question) string {
	tags := []string{"pyquiz::" + q.PackID}
	for _, t := range q.Tags {
		tags = append(tags, strings.Join(strings.Fields(t), "_"))
	}
	if q.Difficulty != "" {
		tags = append(tags, "difficulty::"+string(q.Difficulty))
	}
	return strings.Join(tags, " ")
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// htmlText is text as HTML paragraphs, with line breaks kept.
func htmlText(s string) string {
	var b strings.Builder
	for _, p := range paraSplit().Split(strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")), -1) {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if keepLines(p) {
			b.WriteString("<p>" + strings.ReplaceAll(htmlEscape(p), "\n", "<br>") + "</p>")
		} else {
			b.WriteString("<p>" + htmlEscape(oneLine(p)) + "</p>")
		}
	}
	return b.String()
}

// htmlInline is text inside an element, line breaks kept.
func htmlInline(s string) string {
	return strings.ReplaceAll(htmlEscape(strings.TrimSpace(s)), "\n", "<br>")
}

// htmlCode is code for a <pre> block, on one line: <br> for each newline,
// so that no note spans lines of the file.
func htmlCode(s string) string {
	return strings.ReplaceAll(htmlEscape(strings.TrimRight(s, "\n")), "\n", "<br>")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// tsvField quotes a field the way Anki's CSV reader expects when it holds
// a quote, a tab or a line break: in double quotes, quotes doubled.
func tsvField(s string) string {
	if !strings.ContainsAny(s, "\"\t\n\r") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

func contains(list []int, i int) bool {
	for _, x := range list {
		if x == i {
			return true
		}
	}
	return false
}
