package packfile

import (
	"encoding/json"
	"io/fs"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/questions"
	"github.com/pyquiz/pyquiz/quiz"
)

// TestMarshalBuiltinPacks writes every built-in pack and reads it back:
// every field of every question survives.
func TestMarshalBuiltinPacks(t *testing.T) {
	names, err := fs.Glob(questions.FS, "*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, names)
	for _, n := range names {
		data, err := fs.ReadFile(questions.FS, n)
		require.NoError(t, err)
		p, probs := quiz.Parse(n, data)
		require.Empty(t, probs.Errors())
		text, err := Marshal(p, "a comment")
		require.NoError(t, err)
		back, probs := quiz.Parse(n, text)
		require.Empty(t, probs.Errors(), "%s written:\n%s", n, text)
		assert.Equal(t, p.Title, back.Title)
		assert.Equal(t, p.Python.String(), back.Python.String())
		require.Len(t, back.Questions, len(p.Questions))
		for i, q := range p.Questions {
			assert.Equal(t, asJSON(t, q), asJSON(t, back.Questions[i]), "%s: %s", n, q.ID)
		}
	}
}

func TestMarshalQuotesYAML11Words(t *testing.T) {
	p := &quiz.Pack{ID: "p", Title: "t", HintPenalty: quiz.DefaultHintPenalty, Questions: []*quiz.Question{{
		ID: "q", Type: quiz.Single, Prompt: "Which?", Choices: []string{"=", "y", "1:20", "no"},
		Answer: quiz.Answer{Choices: []int{0}, Set: true}, Points: 1,
	}}}
	text, err := Marshal(p, "")
	require.NoError(t, err)
	assert.Contains(t, string(text), `- "="`)
	assert.Contains(t, string(text), `- "y"`)
	assert.Contains(t, string(text), `- "1:20"`)
	assert.Contains(t, string(text), `- "no"`)
}

func asJSON(t *testing.T, q *quiz.Question) string {
	b, err := json.Marshal(q.JSON())
	require.NoError(t, err)
	return string(b)
}
