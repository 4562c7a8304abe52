package gift

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/pyquiz/pyquiz/internal/render"
	"github.com/pyquiz/pyquiz/quiz"
)

// ExportNote says where GIFT (or Moodle) cannot hold a question exactly as
// pyquiz means it.
type ExportNote struct {
	Question string // full id
	Message  string
}

func (n ExportNote) String() string { return n.Question + ": " + n.Message }

// moodleFractions are the grades Moodle accepts for an answer (its
// question_bank::fraction_options); an import with "match grades: error",
// Moodle's default, refuses any other.
var moodleFractions = []float64{1, 0.9, 5.0 / 6, 0.8, 0.75, 0.7, 2.0 / 3, 0.6, 0.5, 0.4, 1.0 / 3, 0.3, 0.25, 0.2, 1.0 / 6, 1.0 / 7, 0.125, 1.0 / 9, 0.1, 0.05}

// Write writes packs as one GIFT file that Moodle's parser reads back to
// the same questions. Every question is one line of text with \n escapes:
// Moodle trims every line, which would cost code its indentation. Text is
// [html] so that nothing in it is taken for Moodle markup; code is a <pre>
// block. Multi questions get Moodle weights that score exactly as pyquiz
// does (each right pick +1/right, each wrong pick -1/wrong, total at least
// 0). What GIFT cannot say goes into a "// pyquiz:" comment that Moodle
// ignores and pyquiz import reads, and into the notes.
//
// python is the version output questions are asked about (nil: the newest
// each allows); the caller leaves out the questions not asked on it.
func Write(w io.Writer, packs []*quiz.Pack, python *quiz.Version) ([]ExportNote, error) {
	ew := &errWriter{w: w}
	var notes []ExportNote
	ew.printf("// Exported by pyquiz. Import into Moodle as GIFT (Question bank > Import);\n")
	ew.printf("// \"// pyquiz\" lines carry what GIFT cannot say and are ignored by Moodle.\n\n")
	for _, p := range packs {
		h := packHeader{ID: p.ID, Title: p.Title, Version: p.Version, Description: p.Description,
			Authors: p.Authors, License: p.License, Python: p.Python.String(), Tags: p.Tags}
		if p.HintPenalty != quiz.DefaultHintPenalty {
			hp := p.HintPenalty
			h.HintPenalty = &hp
		}
		ew.printf("// %s %s\n", headerPrefix, commentJSON(h))
		ew.printf("$CATEGORY: $course$/top/%s\n\n", p.ID)
		for _, q := range p.Questions {
			text, qnotes := question(q, p, python)
			for _, m := range qnotes {
				notes = append(notes, ExportNote{Question: q.FullID(), Message: m})
			}
			ew.printf("%s\n", text)
		}
	}
	return notes, ew.err
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// commentJSON is JSON on one line that Moodle's [id:] and [tag:] search
// cannot trip over.
func commentJSON(v any) string {
	b, _ := json.Marshal(v)
	s := strings.ReplaceAll(string(b), "[id:", `\u005bid:`)
	return strings.ReplaceAll(s, "[tag:", `\u005btag:`)
}

// question returns one question as GIFT, with notes on what changed.
func question(q *quiz.Question, p *quiz.Pack, python *quiz.Version) (string, []string) {
	var notes []string
	var b strings.Builder
	v, _ := quiz.AskVersion(q, python)
	key := quiz.KeyFor(q, v)
	x := extra{Difficulty: q.Difficulty, Hints: q.Hints, Source: q.Source}
	if q.Points != 1 {
		x.Points = q.Points
	}
	if !q.Python.IsZero() && q.Python.String() != p.Python.String() {
		x.Python = q.Python.String()
	}
	prompt := q.Prompt
	for _, o := range q.Expect {
		x.Expect = append(x.Expect, quiz.OutcomeJSON{Python: o.Python.String(), Stdout: o.Stdout, Raises: o.Raises})
	}
	if q.Type == quiz.Output {
		x.Type = quiz.Output
		if q.Answer.Set {
			a := q.Answer.Texts[0]
			x.Answer = &a
		} else {
			// The key comes from one version's outcome: the prompt says which.
			x.Prompt = q.Prompt
			prompt = render.PromptText(&quiz.Item{Question: q, Version: v, VersionShown: true})
		}
	}
	if q.Type == quiz.Short && q.CaseSensitive {
		t := true
		x.CaseSensitive = &t
		notes = append(notes, "GIFT cannot make a short answer case-sensitive: Moodle will accept any case")
	}
	b.WriteString("// [id:" + strings.ReplaceAll(q.ID, "]", `\]`) + "]")
	for _, t := range q.Tags {
		b.WriteString(" [tag:" + strings.ReplaceAll(t, "]", `\]`) + "]")
	}
	b.WriteString("\n")
	if x.Type != "" || x.Difficulty != "" || x.Points != 0 || len(x.Hints) > 0 || x.Python != "" || x.Source != "" || x.CaseSensitive != nil || len(x.Expect) > 0 {
		b.WriteString("// " + extraPrefix + " " + commentJSON(x) + "\n")
	}
	b.WriteString("::" + escape(q.ID) + "::[html]")
	body := htmlParagraphs(prompt)
	if q.Code != "" {
		body += "<pre><code>" + htmlEscape(strings.TrimRight(q.Code, "\n")) + "</code></pre>"
	}
	b.WriteString(escape(body))
	b.WriteString("{\n")
	switch q.Type {
	case quiz.Single:
		for i, c := range q.Choices {
			mark := "~"
			if slicesContains(key.Choices, i) {
				mark = "="
			} else if weightRe().MatchString(phpTrim(choice(c))) {
				mark = "~%0%" // else Moodle reads the text's "%50%" as a weight
			}
			b.WriteString("\t" + mark + choice(c) + feedback(q.Feedback[quiz.Letter(i)]) + "\n")
		}
	case quiz.Multi:
		right := len(key.Choices)
		wrong := len(q.Choices) - right
		rw, n1 := weight(1 / float64(right))
		var ww string
		if wrong > 0 {
			var n2 string
			ww, n2 = weight(-1 / float64(wrong))
			n1 += n2
		}
		if n1 != "" {
			notes = append(notes, fmt.Sprintf("%d right of %d choices: %s", right, len(q.Choices), n1))
		}
		for i, c := range q.Choices {
			w := ww
			if slicesContains(key.Choices, i) {
				w = rw
			}
			b.WriteString("\t~%" + w + "%" + choice(c) + feedback(q.Feedback[quiz.Letter(i)]) + "\n")
		}
	case quiz.TrueFalse:
		b.WriteString("\t" + strings.ToUpper(fmt.Sprint(key.Bool)))
		// {TRUE#shown for a wrong answer#shown for the right one}
		wrongFB, rightFB := q.Feedback[fmt.Sprint(!key.Bool)], q.Feedback[fmt.Sprint(key.Bool)]
		if rightFB != "" {
			b.WriteString("#" + escape(htmlParagraphs(wrongFB)) + feedback(rightFB))
		} else {
			b.WriteString(feedback(wrongFB))
		}
		b.WriteString("\n")
	case quiz.Short, quiz.Output:
		texts := key.Texts
		for _, t := range texts {
			a := shortAnswer(t)
			if weightRe().MatchString(phpTrim(a)) {
				a = "%100%" + a // else Moodle reads the text's "%50%" as a weight
			}
			b.WriteString("\t=" + a + "\n")
			if q.Type == quiz.Output && strings.Contains(strings.TrimSpace(t), "\n") {
				notes = append(notes, "the output has several lines; Moodle's one-line answer box gets it with spaces for line breaks, as pyquiz accepts it")
			}
		}
		keys := make([]string, 0, len(q.Feedback))
		for k := range q.Feedback {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			b.WriteString("\t=%0%" + shortAnswer(k) + feedback(q.Feedback[k]) + "\n")
		}
		if q.Type == quiz.Output {
			notes = append(notes, "an output question becomes a Moodle short answer: Moodle compares the text as typed (any case), pyquiz folds whitespace")
		}
	}
	if strings.TrimSpace(q.Explanation) != "" {
		b.WriteString("\t####" + escape(htmlParagraphs(q.Explanation)) + "\n")
	}
	b.WriteString("}\n")
	return b.String(), notes
}

// choice is a choice as GIFT HTML: line breaks and runs of spaces kept.
func choice(c string) string {
	s := htmlEscape(c)
	s = strings.ReplaceAll(s, "  ", " &nbsp;")
	s = strings.ReplaceAll(s, "\n", "<br>")
	return escape(s)
}

// shortAnswer is an accepted answer for a Moodle short-answer question: one
// line (pyquiz folds whitespace anyway), * written \* (Moodle's wildcard).
func shortAnswer(t string) string {
	t = quiz.NormalizeOutput(t)
	return strings.ReplaceAll(choice(t), "*", `\*`)
}

func feedback(fb string) string {
	if fb == "" {
		return ""
	}
	return "#" + escape(htmlParagraphs(fb))
}

// weight formats a fraction as a GIFT weight from Moodle's list of grades,
// with a note when the exact fraction is not on the list.
func weight(f float64) (string, string) {
	best := 0.0
	for _, m := range moodleFractions {
		if math.Abs(math.Abs(f)-m) < math.Abs(math.Abs(f)-best) {
			best = m
		}
	}
	if f < 0 {
		best = -best
	}
	note := ""
	if math.Abs(best-f) > 1e-6 {
		note = fmt.Sprintf("Moodle has no grade of %s, so %s is used (pyquiz's own rule differs slightly)", percent(f), percent(best))
	}
	return strings.TrimSuffix(percent(best), "%"), note
}

func slicesContains(list []int, i int) bool { return contains(list, i) }
