package grade

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/quiz"
)

// tfPack is n truefalse questions q1..qn, each with the key true.
func tfPack(t testing.TB, n int) *quiz.Pack {
	t.Helper()
	var b strings.Builder
	b.WriteString("format: 1\npack:\n  id: tf\n  title: TF\n  version: 1.0.0\nquestions:\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "  - id: q%d\n    type: truefalse\n    prompt: Statement %d.\n    answer: true\n", i, i)
	}
	return mustParse(t, b.String())
}

func mustParse(t testing.TB, src string) *quiz.Pack {
	t.Helper()
	p, probs := quiz.Parse("pack.yaml", []byte(src))
	require.Empty(t, probs.Errors(), "test pack must load")
	return p
}

// class turns rows of 1 (right) and 0 (wrong) into sheets s1, s2, ...
func class(rows [][]int) []Input {
	var ins []Input
	for i, row := range rows {
		in := Input{File: "class.csv", Row: i + 2, Sheet: quiz.Sheet{Student: fmt.Sprintf("s%d", i+1)}}
		for j, x := range row {
			in.Sheet.Answers = append(in.Sheet.Answers, quiz.SheetAnswer{Question: fmt.Sprintf("q%d", j+1), Given: map[int]string{1: "true", 0: "false"}[x]})
		}
		ins = append(ins, in)
	}
	return ins
}

var defaults = Options{Rules: quiz.DefaultRules, Pass: DefaultPass}

func approx(t *testing.T, want float64, got *float64, what string) {
	t.Helper()
	require.NotNil(t, got, "%s is undefined; want %v", what, want)
	assert.InDelta(t, want, *got, 1e-4, "%s", what)
}

// TestStatisticsByHand checks the statistics against a class of six
// worked out on paper (see the comments for the arithmetic).
func TestStatisticsByHand(t *testing.T) {
	rows := [][]int{
		{1, 1, 1}, // 3
		{1, 1, 0}, // 2
		{1, 0, 1}, // 2
		{1, 0, 0}, // 1
		{0, 1, 0}, // 1
		{0, 0, 0}, // 0
	}
	r := Grade(tfPack(t, 3), class(rows), nil, defaults)
	require.Empty(t, r.Problems)
	s := r.Summary
	assert.Equal(t, 6, s.Sheets)
	assert.Equal(t, 3.0, s.Max)
	assert.InDelta(t, 1.5, s.Mean, 1e-9)   // 9/6
	assert.InDelta(t, 1.5, s.Median, 1e-9) // (2+1)/2
	// Squared deviations 2.25+.25*4+2.25 = 5.5; sample SD sqrt(5.5/5).
	assert.InDelta(t, 1.0488, s.SD, 1e-4)
	// KR-20: item variances p(1-p) = 2/9 + 1/4 + 2/9 = 0.69444; total
	// variance 5.5/6 = 0.91667; 3/2 * (1 - 0.69444/0.91667) = 0.36364.
	approx(t, 0.3636, s.Alpha, "alpha")
	// SEM = SD * sqrt(1 - alpha) = 1.04881 * 0.79772.
	approx(t, 0.8367, s.SEM, "sem")
	assert.Equal(t, 2, s.GroupSize)
	// Pass mark 60%: 3/3 and 2/3 pass (67%), 1/3 and 0 fail.
	assert.Equal(t, 3, s.Passed)
	assert.Equal(t, 3, s.Failed)

	tests := []struct {
		q                    int
		facility, disc, rest float64
	}{
		// Upper third: s1, s2 (3, 2; s3 ties s2 and comes later).
		// Lower third: s6, s5.
		{0, 4.0 / 6, 1 - 0, 0.3430},   // upper 2/2, lower 0/2
		{1, 3.0 / 6, 1 - 0.5, 0},      // upper 2/2, lower 1/2; rest [2,1,2,1,0,0] uncorrelated
		{2, 2.0 / 6, 0.5 - 0, 0.3430}, // upper 1/2, lower 0/2
	}
	for _, tt := range tests {
		it := r.Items[tt.q]
		approx(t, tt.facility, it.Facility, it.Question+" facility")
		approx(t, tt.disc, it.Discrimination, it.Question+" discrimination")
		approx(t, tt.rest, it.ItemRest, it.Question+" item-rest")
		assert.Empty(t, it.Flags, "%s flags", it.Question)
	}
	assert.Equal(t, "false", r.Items[0].TopWrong)
	assert.Equal(t, 2, r.Items[0].TopWrongCount)
	// Distractors of q1: true by s1-s4 (upper 2, lower 0), false by s5, s6.
	assert.Equal(t, []Distractor{
		{Answer: "true", Text: "true", Correct: true, Total: 4, Upper: 2, Lower: 0},
		{Answer: "false", Text: "false", Correct: false, Total: 2, Upper: 0, Lower: 2},
	}, r.Items[0].Distractors)
	// The histogram: 0% (s6), 33% (s4, s5), 67% (s2, s3), 100% (s1).
	counts := map[int]int{}
	for _, b := range r.Histogram {
		counts[b.From] = b.Count
	}
	assert.Equal(t, map[int]int{0: 1, 10: 0, 20: 0, 30: 2, 40: 0, 50: 0, 60: 2, 70: 0, 80: 0, 90: 1}, counts)
}

func TestFlags(t *testing.T) {
	// q1 right by nearly nobody (1 of 6: facility 0.17), q2 right by
	// everyone, q3 right only by the weakest two, q4 and q5 carry the
	// ranking.
	rows := [][]int{
		{1, 1, 0, 1, 1},
		{0, 1, 0, 1, 1},
		{0, 1, 0, 1, 0},
		{0, 1, 0, 0, 1},
		{0, 1, 1, 0, 0},
		{0, 1, 1, 0, 0},
	}
	r := Grade(tfPack(t, 5), class(rows), nil, defaults)
	flags := map[string][]string{}
	for _, it := range r.Items {
		flags[it.Question] = it.Flags
	}
	assert.Equal(t, []string{FlagTooHard}, flags["tf/q1"])
	assert.Equal(t, []string{FlagTooEasy}, flags["tf/q2"])
	assert.Equal(t, []string{FlagBackwards}, flags["tf/q3"])
	assert.Empty(t, flags["tf/q4"])
	approx(t, -1, r.Items[2].Discrimination, "q3 discrimination")
	// A question everyone got right has no item-rest correlation.
	assert.Nil(t, r.Items[1].ItemRest)
	got := []string{}
	for _, it := range r.Flagged() {
		got = append(got, it.Question)
	}
	assert.Equal(t, []string{"tf/q1", "tf/q2", "tf/q3"}, got)
}

func TestSmallClassHasNoDiscrimination(t *testing.T) {
	r := Grade(tfPack(t, 2), class([][]int{{1, 0}, {0, 1}}), nil, defaults)
	assert.Nil(t, r.Items[0].Discrimination)
	assert.Equal(t, 0, r.Summary.GroupSize)
	one := Grade(tfPack(t, 2), class([][]int{{1, 0}}), nil, defaults)
	assert.Nil(t, one.Summary.Alpha, "alpha needs two sheets")
	assert.Equal(t, 0.0, one.Summary.SD)
	empty := Grade(tfPack(t, 2), nil, nil, defaults)
	assert.Equal(t, 0, empty.Summary.Sheets)
	assert.Nil(t, empty.Items[0].Facility)
}

func TestGradeReportSet(t *testing.T) {
	p := tfPack(t, 4)
	pen := 0.5
	// eve's session asked q1 and q2 (one wrong, penalty 0.5); ann's plain
	// sheet answers q1 only, so q2..q4 are unanswered for her.
	eve := Input{File: "eve.json", Penalty: &pen, Sheet: quiz.Sheet{Student: "eve", Only: true, Answers: []quiz.SheetAnswer{
		{Question: "q1", Given: "true"}, {Question: "q2", Given: "false"}}}}
	ann := Input{File: "ann.yaml", Sheet: quiz.Sheet{Student: "ann", Answers: []quiz.SheetAnswer{{Question: "q1", Given: "true"}}}}
	r := Grade(p, []Input{eve, ann}, nil, defaults)
	require.Len(t, r.Sheets, 2)
	assert.Equal(t, 0.5, r.Sheets[0].Score, "the report's penalty counts")
	assert.Equal(t, 2.0, r.Sheets[0].Max, "out of the questions the session asked")
	assert.Equal(t, 4.0, r.Sheets[1].Max, "a plain sheet is out of the whole pack")
	assert.Equal(t, 2, r.Items[0].Answered)
	assert.Equal(t, 1, r.Items[1].Answered)
	assert.Equal(t, 1, r.Items[1].Unanswered, "only ann counts as unanswered on q2")
	assert.Equal(t, 0, r.Items[2].Answered)
	assert.Equal(t, 1, r.Items[2].Unanswered, "eve was not asked q3")
	approx(t, 1, r.Items[0].Facility, "q1 facility")
	// each sheet says the rules it was graded on; the report says they differ
	assert.Equal(t, 0.5, r.Sheets[0].Penalty, "eve's report recorded its penalty")
	assert.Equal(t, 0.0, r.Sheets[1].Penalty, "ann's sheet is graded on the command line's")
	assert.Nil(t, r.Penalty)
	assert.Equal(t, "partial", r.Multi, "every sheet was graded with partial credit")
	// q2: eve was asked it and got it wrong at penalty 0.5 (-0.5, the lowest
	// her rules give: share 0); ann left it blank (0 of 0..1: share 0)
	approx(t, 0, r.Items[1].Facility, "q2 facility")

	// the command line's penalty wins over the report's
	over := defaults
	over.PenaltySet = true
	r = Grade(p, []Input{eve}, nil, over)
	assert.Equal(t, 1.0, r.Sheets[0].Score)
	assert.Equal(t, 0.0, r.Sheets[0].Penalty)
	require.NotNil(t, r.Penalty, "one rule for every sheet")
	assert.Equal(t, 0.0, *r.Penalty)
	// a report alone: the report's rules are the ones applied
	r = Grade(p, []Input{eve}, nil, defaults)
	require.NotNil(t, r.Penalty)
	assert.Equal(t, 0.5, *r.Penalty)
}

// TestFacilityWithPenalty: facility is the mean score on the question as a
// share of its range, from the lowest score the rules give to the highest
// (Moodle's quiz statistics), so it stays within 0..1 under a penalty.
func TestFacilityWithPenalty(t *testing.T) {
	// q1: right (1), wrong (-0.25), wrong (-0.25), blank (0); q2: all wrong.
	rows := [][]string{{"true", "false"}, {"false", "false"}, {"false", "false"}, {"", "false"}}
	var ins []Input
	for i, row := range rows {
		in := Input{File: "c.csv", Row: i + 2, Sheet: quiz.Sheet{Student: fmt.Sprintf("s%d", i+1)}}
		for j, g := range row {
			in.Sheet.Answers = append(in.Sheet.Answers, quiz.SheetAnswer{Question: fmt.Sprintf("q%d", j+1), Given: g})
		}
		ins = append(ins, in)
	}
	opts := defaults
	opts.Rules.Penalty = 0.25
	r := Grade(tfPack(t, 2), ins, nil, opts)
	require.Empty(t, r.Problems)
	// mean (1 - 0.25 - 0.25 + 0)/4 = 0.125; (0.125 + 0.25) / (1 + 0.25) = 0.3
	approx(t, 0.3, r.Items[0].Facility, "q1 facility")
	// mean -0.25, the lowest there is: 0, not negative
	approx(t, 0, r.Items[1].Facility, "q2 facility")
	assert.Contains(t, r.Items[1].Flags, FlagTooHard)
}

// TestAlphaOverCommonQuestions: sheets of sessions that asked different
// questions (play reports) give alpha over the questions every sheet was
// asked, and the summary says so.
func TestAlphaOverCommonQuestions(t *testing.T) {
	p := tfPack(t, 3)
	tf := map[int]string{1: "true", 0: "false"}
	plain := func(name string, xs ...int) Input {
		in := Input{File: name + ".yaml", Sheet: quiz.Sheet{Student: name}}
		for j, x := range xs {
			in.Sheet.Answers = append(in.Sheet.Answers, quiz.SheetAnswer{Question: fmt.Sprintf("q%d", j+1), Given: tf[x]})
		}
		return in
	}
	report := func(name string, xs ...int) Input {
		in := plain(name, xs...)
		in.Sheet.Only = true // asked q1 and q2 only
		return in
	}
	// On q1 and q2: 1 1 | 1 1 | 1 0 | 0 0. Item variances p(1-p): q1
	// 0.75*0.25 = 0.1875, q2 0.25; totals 2 2 1 0, variance 2.75/4 = 0.6875.
	// alpha = 2/1 * (1 - 0.4375/0.6875) = 0.72727; sample SD of the totals
	// sqrt(2.75/3) = 0.95743; SEM = 0.95743 * sqrt(1 - 0.72727) = 0.5.
	r := Grade(p, []Input{plain("s1", 1, 1, 1), plain("s2", 1, 1, 0), report("s3", 1, 0), report("s4", 0, 0)}, nil, defaults)
	require.Empty(t, r.Problems)
	approx(t, 0.7273, r.Summary.Alpha, "alpha")
	approx(t, 0.5, r.Summary.SEM, "sem")
	assert.Equal(t, 2, r.Summary.AlphaQuestions)
	assert.Equal(t, "over the 2 questions every sheet was asked (of 3 asked)", r.Summary.AlphaNote)

	// one question in common: no alpha, and why
	r = Grade(p, []Input{plain("s1", 1, 1, 1), report("s2", 1)}, nil, defaults)
	assert.Nil(t, r.Summary.Alpha)
	assert.Nil(t, r.Summary.SEM)
	assert.Equal(t, "needs 2 questions or more that every sheet was asked (there are 1)", r.Summary.AlphaNote)

	// every sheet asked everything: over all questions, no note
	r = Grade(p, []Input{plain("s1", 1, 1, 1), plain("s2", 1, 0, 0)}, nil, defaults)
	assert.Equal(t, 3, r.Summary.AlphaQuestions)
	assert.Empty(t, r.Summary.AlphaNote)
}
