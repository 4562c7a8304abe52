package export

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/quiz"
)

func TestMDText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"__init__ runs *after* __new__", `\_\_init\_\_ runs \*after\* \_\_new\_\_`},
		{"keep `a_b*c` spans", "keep `a_b*c` spans"},
		{"an `unclosed span", "an \\`unclosed span"},
		{"<class 'int'> & [1]", `\<class 'int'\> \& \[1\]`},
		{"# not a heading", `\# not a heading`},
		{"1. not a list", `1\. not a list`},
		{"- item one\n- item_two", "- item one\n- item\\_two"},
		{"folded by hand\nin YAML\n\nnext paragraph", "folded by hand\nin YAML\n\nnext paragraph"},
		{"kept lines:\n    x = 1\n    y = 2", "kept lines:\\\nx = 1\\\ny = 2"},
		{"a span `that goes\non` and _x_", "a span `that goes on` and \\_x\\_"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, mdText(tc.in), "mdText(%q)", tc.in)
	}
}

func TestFenceAndCodeSpan(t *testing.T) {
	assert.Equal(t, "````python\nprint('```')\n````", fence("print('```')\n", "python"))
	assert.Equal(t, "``a`b``", codeSpan("a`b"))
	assert.Equal(t, "``` `` ```", codeSpan("``"))
	assert.Equal(t, "*(nothing)*", codeSpan(""))
}

func TestMarkdownNumbersMatchKey(t *testing.T) {
	p := &quiz.Pack{ID: "p", Title: "P", Questions: []*quiz.Question{
		{PackID: "p", ID: "a", Type: quiz.TrueFalse, Prompt: "One?", Answer: quiz.Answer{Bool: true, Set: true}, Points: 1},
		{PackID: "p", ID: "b", Type: quiz.Short, Prompt: "Two?", Answer: quiz.Answer{Texts: []string{"x"}, Set: true}, Points: 0.5},
	}}
	var exam, key strings.Builder
	require.NoError(t, Markdown(&exam, []*quiz.Pack{p}, Options{}))
	require.NoError(t, MarkdownKey(&key, []*quiz.Pack{p}, Options{}))
	assert.Contains(t, exam.String(), "2 questions, 1.5 points.")
	assert.Contains(t, exam.String(), "**2.** Two? *(0.5 points)*")
	assert.Contains(t, key.String(), "**1.** True\n")
	assert.Contains(t, key.String(), "**2.** x\n")
}
