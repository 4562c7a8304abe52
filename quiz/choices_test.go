package quiz

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAsChoices(t *testing.T) {
	q := &Question{PackID: "p", ID: "div", Type: Output, Prompt: "What does this print?", Code: "print(7 / 2)",
		Python:   MustConstraint(">=2.7"),
		Expect:   []Outcome{{Python: MustConstraint("<3"), Stdout: "3\n"}, {Python: MustConstraint(">=3"), Stdout: "3.5\n"}},
		Feedback: map[string]string{"3.0": "That is 6 / 2.", "3": "Python 2 floors."}, Points: 1}
	c, ok := AsChoices(q, Version{3, 12, -1})
	require.True(t, ok)
	assert.Equal(t, Single, c.Type)
	assert.Equal(t, "p/div", c.FullID())
	assert.Same(t, q, c.ChoicesOf)
	assert.Equal(t, []string{"3.5", "3", "3.0"}, c.Choices, "the key, then feedback keys and other versions' outputs, once each")
	assert.Equal(t, []int{0}, c.Answer.Choices)
	assert.Equal(t, "Python 2 floors.", c.Feedback["b"])
	assert.Equal(t, "That is 6 / 2.", c.Feedback["c"])
	assert.Equal(t, "On Python 3.12, what does this print?", c.Prompt)

	// one distractor only: stays an output question
	q2 := *q
	q2.Feedback = nil
	same, ok := AsChoices(&q2, Version{3, 12, -1})
	assert.False(t, ok)
	assert.Same(t, &q2, same)
}
