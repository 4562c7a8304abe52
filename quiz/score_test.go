package quiz

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestScoreMulti(t *testing.T) {
	// 5 choices, 2 correct (a, c): N-C = 3.
	q := choiceQ(Multi, 5, 0, 2)
	q.Points = 2
	tests := []struct {
		picked []int
		rule   MultiRule
		want   float64
		ok     bool
	}{
		{[]int{0, 2}, Partial, 2, true},
		{[]int{0}, Partial, 1, false}, // 2 * (1/2)
		{[]int{0, 1}, Partial, 2 * (0.5 - 1.0/3), false},
		{[]int{0, 1, 3, 4}, Partial, 0, false}, // 1/2 - 3/3 < 0
		{[]int{1}, Partial, 0, false},
		{[]int{0}, AllOrNothing, 0, false},
		{[]int{0, 2}, AllOrNothing, 2, true},
	}
	for _, tt := range tests {
		got, max, ok := Score(q, nil, q.Answer, Response{Choices: tt.picked}, 0, Rules{Multi: tt.rule, HintPenalty: -1})
		assert.InDelta(t, tt.want, got, 1e-9, "Score(multi %v, %s)", tt.picked, tt.rule)
		assert.Equal(t, 2.0, max, "Score(multi %v, %s)", tt.picked, tt.rule)
		assert.Equal(t, tt.ok, ok, "Score(multi %v, %s)", tt.picked, tt.rule)
	}
	// N = C: the W term is 0.
	all := choiceQ(Multi, 2, 0, 1)
	got, _, _ := Score(all, nil, all.Answer, Response{Choices: []int{1}}, 0, DefaultRules)
	assert.InDelta(t, 0.5, got, 1e-9, "Score(N=C, one of two)")
}

func TestScoreHintsAndPenalty(t *testing.T) {
	q := choiceQ(Single, 4, 1)
	right, wrong := Response{Choices: []int{1}}, Response{Choices: []int{0}}
	pack := &Pack{HintPenalty: 0.5}
	tests := []struct {
		name  string
		r     Response
		hints int
		pack  *Pack
		rules Rules
		want  float64
	}{
		{"right", right, 0, nil, DefaultRules, 1},
		{"one hint, default 25%", right, 1, nil, DefaultRules, 0.75},
		{"two hints, pack 50%", right, 2, pack, DefaultRules, 0},
		{"one hint, pack 50%", right, 1, pack, DefaultRules, 0.5},
		{"rules override pack", right, 1, pack, Rules{HintPenalty: 0.1}, 0.9},
		{"wrong", wrong, 0, nil, DefaultRules, 0},
		{"wrong, negative marking", wrong, 0, nil, Rules{Penalty: 0.25, HintPenalty: -1}, -0.25},
		{"five hints never below 0", right, 5, nil, DefaultRules, 0},
	}
	for _, tt := range tests {
		got, _, _ := Score(q, tt.pack, q.Answer, tt.r, tt.hints, tt.rules)
		assert.InDelta(t, tt.want, got, 1e-9, tt.name)
	}
}

func TestFeedbackFor(t *testing.T) {
	q := choiceQ(Multi, 4, 0, 1)
	q.Feedback = map[string]string{"a": "A is right anyway", "c": "C is wrong", "d": "D too"}
	got := FeedbackFor(q, q.Answer, Response{Choices: []int{0, 2}})
	assert.Equal(t, []string{"C is wrong"}, got, "FeedbackFor(multi a,c)")
	tf := &Question{Type: TrueFalse, Feedback: map[string]string{"false": "it is true"}}
	assert.Len(t, FeedbackFor(tf, Answer{Bool: true}, Response{Bool: false}), 1, "FeedbackFor(truefalse)")
	out := &Question{Type: Output, Feedback: map[string]string{"1 2": "think of the loop"}}
	assert.Len(t, FeedbackFor(out, Answer{Texts: []string{"1"}}, Response{Text: "1\n2"}), 1, "FeedbackFor(output)")
}

// BenchmarkScoreSheets scores 10,000 answer sheets of 50 questions, the
// grading budget of PRODUCT.md section 10 (under 1 s).
func BenchmarkScoreSheets(b *testing.B) {
	qs := make([]*Question, 50)
	rs := make([]Response, 50)
	for i := range qs {
		switch i % 3 {
		case 0:
			qs[i] = choiceQ(Multi, 5, 0, 2)
			rs[i] = Response{Choices: []int{0, 1}}
		case 1:
			qs[i] = choiceQ(Single, 4, 1)
			rs[i] = Response{Choices: []int{1}}
		default:
			qs[i] = &Question{Type: Output, Points: 1, Answer: Answer{Texts: []string{"True\nFalse\n"}, Set: true}}
			rs[i] = Response{Text: "True False"}
		}
	}
	for b.Loop() {
		total := 0.0
		for range 10_000 {
			for i, q := range qs {
				p, _, _ := Score(q, nil, q.Answer, rs[i], 0, DefaultRules)
				total += p
			}
		}
		if total == 0 {
			b.Fatal("nothing scored")
		}
	}
}
