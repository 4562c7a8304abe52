package quiz

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGraderRemembersMarksExactly: a grader reuses the record of an answer
// it has marked, but only for the same question, text, hints and Python
// version: each must still score as Mark scores it alone.
func TestGraderRemembersMarksExactly(t *testing.T) {
	p := loadSheetPack(t)
	rules := Rules{Multi: Partial, Penalty: 0.25, HintPenalty: -1}
	g := NewGrader(p, rules, nil)
	sheets := []Sheet{
		{Student: "a", Answers: []SheetAnswer{{Question: "many", Given: "a,b"}, {Question: "one", Given: "b"}, {Question: "print-div", Given: "3.5"}}},
		{Student: "b", Answers: []SheetAnswer{{Question: "many", Given: "a,b"}, {Question: "one", Given: "b", Hints: 1}, {Question: "print-div", Given: "3.5", Python: "2.7"}}},
		{Student: "c", Answers: []SheetAnswer{{Question: "many", Given: "a, b"}, {Question: "one", Given: "c"}, {Question: "print-div", Given: "3.5"}}},
	}
	for _, s := range sheets {
		got, probs := g.Grade(s)
		require.Empty(t, probs)
		fresh, _ := NewGrader(p, rules, nil).Grade(s) // nothing remembered
		assert.Equal(t, fresh.Total, got.Total, "sheet %s", s.Student)
		for i := range fresh.Records {
			assert.Equal(t, fresh.Records[i].Points, got.Records[i].Points, "sheet %s question %d", s.Student, i)
			assert.Equal(t, fresh.Records[i].Given, got.Records[i].Given, "sheet %s question %d", s.Student, i)
		}
	}
	// the same texts with a hint taken, or on another Python, score otherwise
	a, _ := g.Grade(sheets[0])
	b, _ := g.Grade(sheets[1])
	assert.Equal(t, 1.0, a.Records[0].Points)
	assert.Equal(t, 0.5, b.Records[0].Points, "a hint costs half the points (the pack's hint_penalty)")
	assert.Equal(t, 1.0, a.Records[3].Points)
	assert.Equal(t, -0.25, b.Records[3].Points, "3.5 is wrong on Python 2.7")
}
