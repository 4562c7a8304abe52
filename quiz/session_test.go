package quiz

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sessionQuestions() []*Question {
	a := choiceQ(Single, 4, 1)
	a.ID, a.Tags, a.Difficulty, a.Hints = "a", []string{"objects"}, Easy, []string{"first", "second"}
	b := choiceQ(Multi, 4, 0, 2)
	b.ID, b.Tags, b.Difficulty = "b", []string{"basics", "objects"}, Medium
	c := &Question{PackID: "p", ID: "c", Type: TrueFalse, Points: 2, Answer: Answer{Bool: true, Set: true}, Tags: []string{"basics"}, Difficulty: Hard}
	return []*Question{a, b, c}
}

func ids(s *Session) []string {
	var out []string
	for _, it := range s.Items {
		out = append(out, it.Question.ID)
	}
	return out
}

func TestSessionOrder(t *testing.T) {
	qs := sessionQuestions()
	plain := NewSession(qs, SessionConfig{Mode: Study})
	assert.Equal(t, []string{"a", "b", "c"}, ids(plain), "unshuffled order")
	assert.Equal(t, []int{0, 1, 2, 3}, plain.Items[0].Order, "unshuffled choices")
	s1 := NewSession(qs, SessionConfig{Shuffle: true, Seed: 7})
	s2 := NewSession(qs, SessionConfig{Shuffle: true, Seed: 7})
	assert.Equal(t, ids(s1), ids(s2), "same seed, different order")
	assert.Equal(t, s1.Items[0].Order, s2.Items[0].Order, "same seed, different choice order")
	differs := false
	for seed := uint64(0); seed < 20 && !differs; seed++ {
		s := NewSession(qs, SessionConfig{Shuffle: true, Seed: seed})
		differs = !slices.Equal(ids(s), ids(s1)) || !slices.Equal(s.Items[0].Order, s1.Items[0].Order)
	}
	assert.True(t, differs, "20 seeds give one order: shuffling does nothing")
	assert.Equal(t, 2, NewSession(qs, SessionConfig{N: 2, Shuffle: true}).Len(), "N=2")
	assert.Equal(t, []string{"a", "b", "c"}, []string{qs[0].ID, qs[1].ID, qs[2].ID}, "NewSession reordered its input")
}

func TestSessionStudyFlow(t *testing.T) {
	s := NewSession(sessionQuestions(), SessionConfig{Mode: Study, Rules: DefaultRules})
	require.Equal(t, "a", s.Current().Question.ID, "first question")
	h, ok := s.Hint()
	assert.True(t, ok)
	assert.Equal(t, "first", h)
	assert.Equal(t, 1, s.HintsUsed())
	rec, err := s.Answer(Response{Choices: []int{1}}, time.Second)
	require.NoError(t, err)
	assert.True(t, rec.Correct, "answer with hint: %+v", rec)
	assert.InDelta(t, 0.75, rec.Points, 1e-9)
	assert.Equal(t, 1, rec.Hints)
	assert.Equal(t, "b", rec.Given)
	assert.Zero(t, s.HintsUsed(), "hints carried over to the next question")
	_, ok = s.Hint()
	assert.False(t, ok, "question b has no hints but Hint said ok")
	rec, _ = s.Skip(0)
	assert.True(t, rec.Skipped, "skip: %+v", rec)
	assert.Zero(t, rec.Points)
	assert.Equal(t, 1.0, rec.Max)
	rec, _ = s.Timeout(0)
	assert.True(t, rec.TimedOut, "timeout: %+v", rec)
	assert.Equal(t, 2.0, rec.Max)
	assert.True(t, s.Done(), "session not done after three records")
	assert.Nil(t, s.Current())
	_, err = s.Answer(Response{}, 0)
	assert.Equal(t, ErrSessionDone, err, "answer after the end")
	sum := s.Summary()
	assert.InDelta(t, 0.75, sum.Total.Points, 1e-9, "summary total %+v", sum)
	assert.Equal(t, 4.0, sum.Total.Max)
	assert.Equal(t, 1, sum.Total.Correct)
	assert.Equal(t, 1, sum.Skipped)
	assert.Equal(t, 1, sum.TimedOut)
	assert.Len(t, sum.Missed, 2)
	wantTags := []string{"basics", "objects"}
	var gotTags []string
	for _, g := range sum.ByTag {
		gotTags = append(gotTags, g.Name)
	}
	assert.Equal(t, wantTags, gotTags, "tags")
	assert.Equal(t, 2, sum.ByTag[1].Questions, "objects tally %+v", sum.ByTag[1])
	assert.InDelta(t, 0.75, sum.ByTag[1].Points, 1e-9, "objects tally %+v", sum.ByTag[1])
	if d := sum.ByDifficulty; assert.Len(t, d, 3) {
		assert.Equal(t, "easy", d[0].Name)
		assert.Equal(t, "hard", d[2].Name)
	}
}

func TestSessionFinish(t *testing.T) {
	// A study session is scored on what was asked ...
	s := NewSession(sessionQuestions(), SessionConfig{Mode: Study})
	s.Answer(Response{Choices: []int{1}}, 0)
	s.Finish()
	sum := s.Summary()
	assert.Equal(t, 1.0, sum.Total.Max, "study finish: %+v", sum)
	assert.Equal(t, 2, sum.NotAsked)
	assert.True(t, s.Done())
	// ... an exam on every question it set, and negative marking applies.
	e := NewSession(sessionQuestions(), SessionConfig{Mode: Exam, Rules: Rules{Penalty: 0.5, HintPenalty: -1}})
	e.Answer(Response{Choices: []int{0}}, 0)
	e.Finish()
	sum = e.Summary()
	assert.Equal(t, 4.0, sum.Total.Max, "exam finish: %+v", sum)
	assert.InDelta(t, -0.5, sum.Total.Points, 1e-9)
	assert.Equal(t, 2, sum.NotReached)
	assert.Len(t, e.Records, 3)
	// Negative marking is for exams only.
	st := NewSession(sessionQuestions(), SessionConfig{Mode: Study, Rules: Rules{Penalty: 0.5}})
	rec, _ := st.Answer(Response{Choices: []int{0}}, 0)
	assert.Zero(t, rec.Points, "study mode lost points")
}

func TestSelect(t *testing.T) {
	qs := sessionQuestions()
	py2 := &Question{PackID: "p", ID: "py2", Type: Output, Python: MustConstraint("2.7"), Expect: []Outcome{{Stdout: "x"}}}
	nokey := &Question{PackID: "p", ID: "nokey", Type: Output, Expect: []Outcome{{Python: MustConstraint("2.7"), Stdout: "x"}}}
	qs = append(qs, py2, nokey)
	v3 := Version{3, 12, -1}
	tests := []struct {
		f    Filter
		want []string
	}{
		{Filter{}, []string{"a", "b", "c", "py2", "nokey"}},
		{Filter{Tags: []string{"OBJECTS"}}, []string{"a", "b"}},
		{Filter{Difficulties: []Difficulty{Hard, Easy}}, []string{"a", "c"}},
		{Filter{Python: &v3}, []string{"a", "b", "c"}},
	}
	for _, tt := range tests {
		var got []string
		for _, q := range Select(qs, tt.f) {
			got = append(got, q.ID)
		}
		assert.Equal(t, tt.want, got, "Select(%+v)", tt.f)
	}
}

func TestSessionKeepOrderShufflesOnlyTheChoices(t *testing.T) {
	qs := sessionQuestions()
	for seed := uint64(0); seed < 20; seed++ {
		s := NewSession(qs, SessionConfig{Mode: Study, Shuffle: true, KeepOrder: true, Seed: seed, N: 2})
		require.Equal(t, []string{"a", "b"}, ids(s), "seed %d: want the order given, cut to N", seed)
		if !slices.Equal(s.Items[0].Order, []int{0, 1, 2, 3}) {
			return // the choices were shuffled
		}
	}
	t.Error("KeepOrder never shuffled the choices in 20 seeds")
}
