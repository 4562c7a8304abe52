package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/quiz"
)

// A code span that pack text breaks over two lines is one span: no
// backtick reaches the terminal and the whole span is coloured.
func TestProseCodeSpanOverLineBreak(t *testing.T) {
	var out bytes.Buffer
	r := New(&out, true, 80)
	got := r.prose("Use `[[0] * 3 for _ in\nrange(3)]`. Then `[0] *\n3` twice.", 0)
	assert.NotContains(t, got, "`")
	assert.Contains(t, got, "\x1b[36m[[0] * 3 for _ in range(3)]\x1b[39m")
	assert.Contains(t, got, "\x1b[36m[0] * 3\x1b[39m")
}

// A span never runs over a blank line: an odd backtick in one paragraph
// leaves the next paragraph's spans alone.
func TestProseCodeSpanStopsAtParagraph(t *testing.T) {
	r := New(&bytes.Buffer{}, true, 80)
	got := r.prose("a stray ` here\n\nthen `x` and `y`", 0)
	assert.Contains(t, got, "a stray ` here")
	assert.Contains(t, got, "\x1b[36mx\x1b[39m and \x1b[36my\x1b[39m")
}

// Notes, invalid-input reasons and the line under a question fold to a
// narrow terminal at word boundaries.
func TestNarrowTerminalWrapsWords(t *testing.T) {
	var out bytes.Buffer
	r := New(&out, true, 50)
	r.Note("10 of 95 questions, study mode, seed 123456. Type ? for help, q to stop.")
	q := &quiz.Question{PackID: "p", ID: "q", Type: quiz.Output, Prompt: "What does this print?", Code: "print(1)"}
	r.Question(&quiz.Item{Question: q}, Status{N: 1, Total: 10})
	for _, ln := range strings.Split(stripANSI(out.String()), "\n") {
		assert.LessOrEqual(t, len([]rune(ln)), 50, "line %q", ln)
	}
	assert.Contains(t, stripANSI(out.String()), "seed 123456. Type\n? for help")
}

// A multi-line answer is shown as lines, never joined with " / ".
func TestMultiLineAnswerShownAsLines(t *testing.T) {
	q := &quiz.Question{PackID: "p", ID: "q", Type: quiz.Output, Code: "print(3)\nprint(-4)",
		Answer: quiz.Answer{Texts: []string{"3\n-4\n"}, Set: true}}
	it := &quiz.Item{Question: q, Key: q.Answer}
	rec := quiz.Record{Item: it, Answered: true, Given: "3 -5", Response: quiz.Response{Text: "3 -5"}, Max: 1}

	var out bytes.Buffer
	r := New(&out, false, 80)
	r.Feedback(rec)
	require.Contains(t, out.String(), "Wrong. The answer is:\n    3\n    -4\n")
	assert.NotContains(t, out.String(), " / ")

	out.Reset()
	s := &quiz.Session{Items: []*quiz.Item{it}, Records: []quiz.Record{rec}}
	r.Summary(s, s.Summary(), 0, false)
	assert.Contains(t, out.String(), "   Right answer:\n       3\n       -4\n")
	assert.NotContains(t, out.String(), " / ")
}

// The study summary shows a missed question's code, as the exam review does.
func TestStudySummaryShowsCode(t *testing.T) {
	q := &quiz.Question{PackID: "p", ID: "q", Type: quiz.Output, Code: "print(7 // 2)",
		Answer: quiz.Answer{Texts: []string{"3\n"}, Set: true}}
	it := &quiz.Item{Question: q, Key: q.Answer}
	s := &quiz.Session{Items: []*quiz.Item{it}, Records: []quiz.Record{{Item: it, Answered: true, Given: "3.5", Max: 1}}}
	var out bytes.Buffer
	New(&out, false, 80).Summary(s, s.Summary(), 0, false)
	assert.Contains(t, out.String(), "Missed")
	assert.Contains(t, out.String(), "     print(7 // 2)\n")
}

func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			i = j
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// A hint is prose like the rest: its code spans are code, not backticks.
func TestHintCodeSpans(t *testing.T) {
	var out bytes.Buffer
	New(&out, true, 80).Hint(1, 1, "Which of `+=` and `+` changes the list?", 0.25)
	assert.NotContains(t, out.String(), "`")
	assert.Contains(t, out.String(), "\x1b[36m+=\x1b[39m")
}

// A session whose tags are each asked once says so in one line instead of
// a line per tag.
func TestTagsAskedOnceSummarised(t *testing.T) {
	q1 := &quiz.Question{PackID: "p", ID: "a", Type: quiz.TrueFalse, Tags: []string{"x"}, Answer: quiz.Answer{Bool: true, Set: true}}
	q2 := &quiz.Question{PackID: "p", ID: "b", Type: quiz.TrueFalse, Tags: []string{"y"}, Answer: quiz.Answer{Bool: true, Set: true}}
	s := quiz.NewSession([]*quiz.Question{q1, q2}, quiz.SessionConfig{})
	s.Skip(0)
	s.Skip(0)
	var out bytes.Buffer
	New(&out, false, 80).Summary(s, s.Summary(), 0, false)
	assert.Contains(t, out.String(), "By tag: 2 tags, each asked once (--report lists them).\n")
	assert.NotContains(t, out.String(), "  x ")
}

// On a narrow terminal the header folds and the running score goes on a
// line of its own instead of past the edge.
func TestNarrowHeaderKeepsScoreInside(t *testing.T) {
	var out bytes.Buffer
	r := New(&out, true, 50)
	q := &quiz.Question{PackID: "pitfalls", ID: "defaults-attribute", Type: quiz.Short, Prompt: "Which?", Difficulty: quiz.Medium, Points: 1}
	r.Question(&quiz.Item{Question: q}, Status{N: 2, Total: 3, Score: 0, Max: 1, ShowScore: true})
	for _, ln := range strings.Split(stripANSI(out.String()), "\n") {
		assert.LessOrEqual(t, len([]rune(ln)), 50, "line %q", ln)
	}
	assert.Contains(t, stripANSI(out.String()), "\nscore 0/1\n")
}

// At 50 columns the summary's own lines fold too: a review item's header
// and the note about tags asked once; a choice answer's code spans are
// styled as the choices were, never shown with their backticks.
func TestNarrowSummaryFolds(t *testing.T) {
	qs := []*quiz.Question{{PackID: "exceptions", ID: "exit-returning-true-suppresses", Type: quiz.Single,
		Prompt: "Which?", Choices: []string{"a property", "the member descriptor created for a name in `__slots__`"},
		Answer: quiz.Answer{Choices: []int{1}, Set: true}, Points: 1, Tags: []string{"one", "two", "three", "four"}}}
	s := quiz.NewSession(qs, quiz.SessionConfig{Mode: quiz.Study, N: 0})
	_, err := s.Skip(0)
	require.NoError(t, err)
	s.Finish()
	var out bytes.Buffer
	r := New(&out, true, 50)
	r.Summary(s, s.Summary(), 0, false)
	plain := stripANSI(out.String())
	for _, ln := range strings.Split(plain, "\n") {
		assert.LessOrEqual(t, len([]rune(ln)), 50, "line %q", ln)
	}
	assert.Contains(t, plain, "exceptions/exit-returning-true-suppresses ")
	assert.NotContains(t, plain, "`")
	assert.Contains(t, out.String(), "\x1b[36m__slots__\x1b[39m")
}

// A terminal without colour (NO_COLOR) still folds prose to its width.
func TestFoldWithoutColour(t *testing.T) {
	var out bytes.Buffer
	r := New(&out, false, 50)
	r.Fold = true
	r.Note("10 of 95 questions, study mode, seed 123456. Type ? for help, q to stop.")
	assert.Equal(t, "10 of 95 questions, study mode, seed 123456. Type\n? for help, q to stop.\n", out.String())
}
