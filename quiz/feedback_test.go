package quiz_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/quiz"
)

// TestDeadFeedbackWarning: feedback keyed on a right answer is never shown,
// so validate warns about it; feedback on wrong answers, and on an output
// key that is right on one Python version but wrong on another, is fine.
func TestDeadFeedbackWarning(t *testing.T) {
	tests := []struct {
		name     string
		question string // lines after "  - id: q" (4-space indent), tags and explanation added
		want     []string
	}{
		{"single on the answer", "type: single\nprompt: p\nchoices: [x, y, z]\nanswer: b\nfeedback: {a: wrong, b: right}",
			[]string{`12:26: warning: feedback "b" is keyed on the right answer`}},
		{"single, upper-case letter", "type: single\nprompt: p\nchoices: [x, y]\nanswer: a\nfeedback: {A: hm}",
			[]string{`12:16: warning: feedback "A" is keyed on the right answer`}},
		{"single on wrong choices", "type: single\nprompt: p\nchoices: [x, y, z]\nanswer: b\nfeedback: {a: one, c: two}", nil},
		{"multi on a right pick", "type: multi\nprompt: p\nchoices: [x, y, z]\nanswer: a,c\nfeedback: {b: wrong, c: right}",
			[]string{`12:26: warning: feedback "c" is keyed on the right answer`}},
		{"truefalse on the answer", "type: truefalse\nprompt: p\nanswer: false\nfeedback: {false: no}",
			[]string{`11:16: warning: feedback "false" is keyed on the right answer`}},
		{"truefalse on the wrong side", "type: truefalse\nprompt: p\nanswer: false\nfeedback: {true: no}", nil},
		{"short, any case", "type: short\nprompt: p\nanswer: [nonlocal]\ncase_sensitive: false\nfeedback: {NonLocal: x, global: y}",
			[]string{`12:16: warning: feedback "NonLocal" is keyed on the right answer`}},
		{"short, case-sensitive", "type: short\nprompt: p\nanswer: [nonlocal]\nfeedback: {NonLocal: x}", nil},
		{"output with an answer", "type: output\nprompt: p\ncode: print(1)\nanswer: \"1\"\nfeedback: {\"1\": x, \"2\": y}",
			[]string{`12:16: warning: feedback "1" is keyed on the right answer`}},
		{"output keyed on stdout and Error", "type: output\nprompt: p\ncode: x\nexpect: {stdout: \"True\\n\", raises: TypeError}\nfeedback: {\"True  error\": x, \"Error\": y}",
			[]string{`12:16: warning: feedback "True  error" is keyed on the right answer`}},
		{"output keyed on Nothing", "type: output\nprompt: p\ncode: x\nexpect: {stdout: \"\"}\nfeedback: {Nothing: x}",
			[]string{`12:16: warning: feedback "Nothing" is keyed on the right answer`}},
		{"per version: right on 3, wrong on 2.7", "type: output\nprompt: p\ncode: x\nexpect:\n  - {python: \"2.7\", stdout: \"3\\n\"}\n  - {python: \">=3.0\", stdout: \"3.5\\n\"}\nfeedback: {\"3.5\": for 2.7, \"3\": for 3}", nil},
		{"per version: right on every version", "type: output\nprompt: p\ncode: x\nexpect:\n  - {python: \"2.7\", stdout: \"1\\n\"}\n  - {python: \">=3.0\", stdout: \"1\\n\"}\nfeedback: {\"1\": x}",
			[]string{`14:16: warning: feedback "1" is keyed on the right answer on every version it is asked about`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := header + "  - id: q\n    " + strings.ReplaceAll(tt.question, "\n", "\n    ") +
				"\n    explanation: e\n    tags: [t]\n    difficulty: easy\n"
			_, probs := quiz.Parse("p.yaml", []byte(src))
			var errs []string
			for _, p := range probs.Errors() {
				errs = append(errs, p.Error())
			}
			require.Empty(t, errs, "the case itself must load")
			var got []string
			for _, w := range probs.Warnings() {
				if strings.Contains(w.Message, "feedback") {
					got = append(got, w.Error())
				}
			}
			require.Len(t, got, len(tt.want), "warnings: %v", got)
			for i, w := range tt.want {
				assert.Contains(t, got[i], "p.yaml:"+w)
				assert.Contains(t, got[i], "never shown")
			}
		})
	}
}
