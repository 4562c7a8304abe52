package quiz_test

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/questions"
	"github.com/pyquiz/pyquiz/quiz"
)

// TestParseIndentErrors: yaml.v3 reports an indentation mistake where its
// parser gave up, up to 25 lines above the mistake; validate points at the
// line whose indentation fits no block around it as well.
func TestParseIndentErrors(t *testing.T) {
	q := func(id string) string {
		return "  - id: " + id + "\n    type: single\n    prompt: Pick b.\n    choices: [x, y]\n    answer: b\n"
	}
	tests := []struct {
		name, src string
		want      []string
	}{
		{"dedented key, reported at the item's start", header + q("one") +
			"  - id: two\n    type: single\n    prompt: Pick b.\n   choices: [x, y]\n    answer: b\n", []string{
			"7:1: YAML syntax error: did not find expected '-' indicator",
			"15:4: indented 3 spaces where the lines around it use 4 or 2 (1 space less than the lines it belongs with?); likely the cause of the YAML syntax error at line 7",
		}},
		{"dedented list item", header + q("one") +
			"  - id: two\n    type: single\n    prompt: Pick b.\n    choices:\n      - x\n     - y\n    answer: b\n", []string{
			"12:1: YAML syntax error: did not find expected key",
			"17:6: indented 5 spaces where the lines around it use 6 or 4 (1 space less than the lines it belongs with?); likely the cause of the YAML syntax error at line 12",
		}},
		{"over-indented key, on the line yaml names", header + q("one") +
			"  - id: two\n    type: single\n    prompt: Pick b.\n      choices: [x, y]\n    answer: b\n", []string{
			"15:7: YAML syntax error: mapping values are not allowed in this context (this line is indented 6 spaces, 2 more than the line above, which opens no block)",
		}},
		{"a question one space out", header + q("one") + " - id: two\n    type: single\n", []string{
			"12:2: YAML syntax error: did not find expected key (this line is indented 1 space where the lines around it use 2 or 0 (1 space less than the lines it belongs with?))",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, probs := quiz.Parse("p.yaml", []byte(tt.src))
			probs.Sort()
			var got []string
			for _, p := range probs {
				got = append(got, strings.TrimPrefix(p.Error(), "p.yaml:"))
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestIndentBreakValidFiles: on well-formed packs (block scalars, flow lists
// over several lines, multi-line quoted and plain scalars) no line is blamed.
func TestIndentBreakValidFiles(t *testing.T) {
	names, err := fs.Glob(questions.FS, "*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, names)
	for _, n := range names {
		data, err := fs.ReadFile(questions.FS, n)
		require.NoError(t, err)
		line, _, why := quiz.IndentBreak(data)
		assert.Zero(t, line, "%s: %s", n, why)
	}
	odd := header + `  - id: q
    type: short
    prompt: "a quoted prompt
      over two lines"
    answer: [one,
        two]
    explanation: a plain scalar
      that continues here
    code: |
      def f():
          return 1
    # a comment
    tags:
    - t
    - u
`
	line, _, why := quiz.IndentBreak([]byte(odd))
	assert.Zero(t, line, why)
}

// FuzzIndentBreak: any bytes, no panic, and a line that is in the file.
func FuzzIndentBreak(f *testing.F) {
	f.Add([]byte(header + "  - id: q\n   type: x\n"))
	f.Add([]byte("a:\n  - b: |\n      x\n    c: [\n  d]\n  e: \"x\n y\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		line, col, why := quiz.IndentBreak(data)
		if line == 0 {
			return
		}
		lines := strings.Split(string(data), "\n")
		if line > len(lines) || col < 1 || col > len(lines[line-1])+1 || why == "" {
			t.Fatalf("line %d col %d (%q) outside the %d lines", line, col, why, len(lines))
		}
	})
}
