package quiz

import (
	"slices"
	"testing"
	"time"
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
	if got := ids(plain); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("unshuffled order = %v", got)
	}
	if got := plain.Items[0].Order; !slices.Equal(got, []int{0, 1, 2, 3}) {
		t.Errorf("unshuffled choices = %v", got)
	}
	s1 := NewSession(qs, SessionConfig{Shuffle: true, Seed: 7})
	s2 := NewSession(qs, SessionConfig{Shuffle: true, Seed: 7})
	if !slices.Equal(ids(s1), ids(s2)) || !slices.Equal(s1.Items[0].Order, s2.Items[0].Order) {
		t.Errorf("same seed, different order: %v %v", ids(s1), ids(s2))
	}
	differs := false
	for seed := uint64(0); seed < 20 && !differs; seed++ {
		s := NewSession(qs, SessionConfig{Shuffle: true, Seed: seed})
		differs = !slices.Equal(ids(s), ids(s1)) || !slices.Equal(s.Items[0].Order, s1.Items[0].Order)
	}
	if !differs {
		t.Errorf("20 seeds give one order: shuffling does nothing")
	}
	if n := NewSession(qs, SessionConfig{N: 2, Shuffle: true}).Len(); n != 2 {
		t.Errorf("N=2 gives %d questions", n)
	}
	if qs[0].ID != "a" || qs[2].ID != "c" {
		t.Errorf("NewSession reordered its input")
	}
}

func TestSessionStudyFlow(t *testing.T) {
	s := NewSession(sessionQuestions(), SessionConfig{Mode: Study, Rules: DefaultRules})
	if s.Current().Question.ID != "a" {
		t.Fatalf("first question %s", s.Current().Question.ID)
	}
	if h, ok := s.Hint(); !ok || h != "first" || s.HintsUsed() != 1 {
		t.Errorf("Hint = %q %v (%d used)", h, ok, s.HintsUsed())
	}
	rec, err := s.Answer(Response{Choices: []int{1}}, time.Second)
	if err != nil || !rec.Correct || !near(rec.Points, 0.75) || rec.Hints != 1 || rec.Given != "b" {
		t.Errorf("answer with hint: %+v %v", rec, err)
	}
	if s.HintsUsed() != 0 {
		t.Errorf("hints carried over to the next question")
	}
	if _, ok := s.Hint(); ok {
		t.Errorf("question b has no hints but Hint said ok")
	}
	if rec, _ := s.Skip(0); !rec.Skipped || rec.Points != 0 || rec.Max != 1 {
		t.Errorf("skip: %+v", rec)
	}
	if rec, _ := s.Timeout(0); !rec.TimedOut || rec.Max != 2 {
		t.Errorf("timeout: %+v", rec)
	}
	if !s.Done() || s.Current() != nil {
		t.Errorf("session not done after three records")
	}
	if _, err := s.Answer(Response{}, 0); err != ErrSessionDone {
		t.Errorf("answer after the end: %v", err)
	}
	sum := s.Summary()
	if !near(sum.Total.Points, 0.75) || sum.Total.Max != 4 || sum.Total.Correct != 1 || sum.Skipped != 1 || sum.TimedOut != 1 {
		t.Errorf("summary total %+v", sum)
	}
	if len(sum.Missed) != 2 {
		t.Errorf("missed %d, want 2", len(sum.Missed))
	}
	wantTags := []string{"basics", "objects"}
	var gotTags []string
	for _, g := range sum.ByTag {
		gotTags = append(gotTags, g.Name)
	}
	if !slices.Equal(gotTags, wantTags) {
		t.Errorf("tags %v, want %v", gotTags, wantTags)
	}
	if sum.ByTag[1].Questions != 2 || !near(sum.ByTag[1].Points, 0.75) {
		t.Errorf("objects tally %+v", sum.ByTag[1])
	}
	if d := sum.ByDifficulty; len(d) != 3 || d[0].Name != "easy" || d[2].Name != "hard" {
		t.Errorf("difficulties %+v", d)
	}
}

func TestSessionFinish(t *testing.T) {
	// A study session is scored on what was asked ...
	s := NewSession(sessionQuestions(), SessionConfig{Mode: Study})
	s.Answer(Response{Choices: []int{1}}, 0)
	s.Finish()
	if sum := s.Summary(); sum.Total.Max != 1 || sum.NotAsked != 2 || !s.Done() {
		t.Errorf("study finish: %+v", sum)
	}
	// ... an exam on every question it set, and negative marking applies.
	e := NewSession(sessionQuestions(), SessionConfig{Mode: Exam, Rules: Rules{Penalty: 0.5, HintPenalty: -1}})
	e.Answer(Response{Choices: []int{0}}, 0)
	e.Finish()
	sum := e.Summary()
	if sum.Total.Max != 4 || !near(sum.Total.Points, -0.5) || sum.NotReached != 2 || len(e.Records) != 3 {
		t.Errorf("exam finish: %+v", sum)
	}
	// Negative marking is for exams only.
	st := NewSession(sessionQuestions(), SessionConfig{Mode: Study, Rules: Rules{Penalty: 0.5}})
	if rec, _ := st.Answer(Response{Choices: []int{0}}, 0); rec.Points != 0 {
		t.Errorf("study mode lost points: %v", rec.Points)
	}
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
		if !slices.Equal(got, tt.want) {
			t.Errorf("Select(%+v) = %v, want %v", tt.f, got, tt.want)
		}
	}
}

func TestSessionKeepOrderShufflesOnlyTheChoices(t *testing.T) {
	qs := sessionQuestions()
	for seed := uint64(0); seed < 20; seed++ {
		s := NewSession(qs, SessionConfig{Mode: Study, Shuffle: true, KeepOrder: true, Seed: seed, N: 2})
		if got := ids(s); !slices.Equal(got, []string{"a", "b"}) {
			t.Fatalf("seed %d: order = %v, want the order given, cut to N", seed, got)
		}
		if !slices.Equal(s.Items[0].Order, []int{0, 1, 2, 3}) {
			return // the choices were shuffled
		}
	}
	t.Error("KeepOrder never shuffled the choices in 20 seeds")
}
