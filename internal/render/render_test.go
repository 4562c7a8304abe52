package render

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/pyquiz/pyquiz/quiz"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text\n\tindented", "plain text\n\tindented"},
		{"clear \x1b[2J", `clear \x1b[2J`},
		{"bell\a", `bell\x07`},
		{"del\x7f", `del\x7f`},
		{"csi \u009b31m", `csi \u009b31m`},
		{"cr\r\n", "cr\\r\n"},
		{"bad \xff byte", `bad \xff byte`},
		{"héllo → ✓", "héllo → ✓"},
		// Trojan Source: the comment hides an early return.
		{"access = \"user\u202e \u2066// admin\u2069 \u2066\"", "access = \"user‹U+202E› ‹U+2066›// admin‹U+2069› ‹U+2066›\""},
		{"zero\u200bwidth\ufeff", "zero‹U+200B›width‹U+FEFF›"},
		{"x\u00adx \u2028", "x‹U+00AD›x ‹U+2028›"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Escape(tt.in), "Escape(%q)", tt.in)
	}
}

func FuzzEscape(f *testing.F) {
	f.Add("\x1b[31mred\x1b[0m\n")
	f.Add("\u009b\xc2\x9b\xff")
	f.Fuzz(func(t *testing.T, s string) {
		for _, r := range Escape(s) {
			if isControl(r) || isInvisible(r) {
				t.Fatalf("Escape(%q) keeps control %U", s, r)
			}
		}
	})
}

func TestPromptText(t *testing.T) {
	q := &quiz.Question{Type: quiz.Output, Prompt: "What does this print?"}
	it := &quiz.Item{Question: q, Version: quiz.Version{Major: 2, Minor: 7, Patch: -1}, VersionShown: true}
	assert.Equal(t, "On Python 2.7, what does this print?", PromptText(it))
	q.Prompt = "Python's `is` compares what?"
	assert.Equal(t, "On Python 2.7, Python's `is` compares what?", PromptText(it), "PromptText keeps names")
}

func TestFormats(t *testing.T) {
	for x, want := range map[float64]string{1: "1", 0.5: "0.5", 2.0 / 3: "0.67", -0.25: "-0.25", -0.0001: "0"} {
		assert.Equal(t, want, Points(x), "Points(%v)", x)
	}
	for d, want := range map[time.Duration]string{45 * time.Second: "45s", 187 * time.Second: "3m07s", 62 * time.Minute: "1h02m"} {
		assert.Equal(t, want, Duration(d), "Duration(%v)", d)
	}
	assert.Equal(t, "1:23", Clock(83*time.Second))
}

func TestQuestionColour(t *testing.T) {
	q := &quiz.Question{PackID: "p", ID: "q", Type: quiz.Single, Prompt: "Pick", Code: "def f():\n    return 'x'  # c\n", Choices: []string{"one", "two"}, Points: 1}
	it := &quiz.Item{Question: q, Order: []int{1, 0}}
	var plain, colour bytes.Buffer
	New(&plain, false, 80).Question(it, Status{N: 1, Total: 3})
	New(&colour, true, 80).Question(it, Status{N: 1, Total: 3})
	want := "\nQuestion 1/3 [p/q]\nPick\n\n    def f():\n        return 'x'  # c\n\n  a) two\n  b) one\n"
	assert.Equal(t, want, plain.String(), "plain question")
	for _, seq := range []string{"\x1b[1;35mdef\x1b[m", "\x1b[32m'x'\x1b[m", "\x1b[3;90m# c\x1b[m"} {
		assert.Contains(t, colour.String(), seq, "colour output")
	}
}
