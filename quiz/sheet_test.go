package quiz

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sheetPack has one question of every type; print-div keys its output per
// Python version (2.7: 3, 3.x: 3.5), raises ends with an exception,
// silent prints nothing.
const sheetPack = `format: 1
pack:
  id: demo
  title: Demo
  version: 1.0.0
  hint_penalty: 0.5
questions:
  - id: one
    type: single
    prompt: Pick b.
    choices: [w, x, y, z]
    answer: b
  - id: many
    type: multi
    prompt: Pick a, b and d.
    choices: ["0", "[]", "'0'", "None"]
    answer: a,b,d
  - id: tf
    type: truefalse
    prompt: True is an int.
    answer: true
  - id: print-div
    type: output
    prompt: What does this print?
    code: print(7 / 2)
    python: ">=2.7"
    expect:
      - {python: "2.7", stdout: "3\n"}
      - {python: ">=3.0", stdout: "3.5\n"}
  - id: raises
    type: output
    prompt: What does this print?
    code: |
      print(1)
      1/0
    expect: {stdout: "1\n", raises: ZeroDivisionError}
  - id: silent
    type: output
    prompt: What does this print?
    code: x = 1
    expect: {stdout: ""}
  - id: keyword
    type: short
    prompt: Which keyword makes a generator?
    answer: [yield]
    case_sensitive: false
`

func loadSheetPack(t *testing.T) *Pack {
	t.Helper()
	p, probs := Parse("demo.yaml", []byte(sheetPack))
	require.Empty(t, probs.Errors(), "test pack")
	return p
}

func TestGraderRules(t *testing.T) {
	p := loadSheetPack(t)
	partial := Rules{Multi: Partial, HintPenalty: -1}
	strict := Rules{Multi: AllOrNothing, HintPenalty: -1}
	penalty := Rules{Multi: Partial, Penalty: 0.25, HintPenalty: -1}
	tests := []struct {
		q, given string
		hints    int
		python   string
		rules    Rules
		points   float64
		correct  bool
		answered bool
		problem  string
	}{
		{"one", "b", 0, "", partial, 1, true, true, ""},
		{"one", "B", 0, "", partial, 1, true, true, ""},
		{"one", "c", 0, "", partial, 0, false, true, ""},
		{"one", "c", 0, "", penalty, -0.25, false, true, ""},
		{"one", "", 0, "", penalty, 0, false, false, ""}, // unanswered never loses points
		{"one", "e", 0, "", partial, 0, false, false, `"e" is not a choice (a to d)`},
		{"one", "a,b", 0, "", partial, 0, false, false, `"a,b" picks several choices`},
		{"one", "b", 1, "", partial, 0.5, true, true, ""}, // the pack's hint penalty, 50%
		{"many", "a,b,d", 0, "", partial, 1, true, true, ""},
		{"many", "d a b", 0, "", partial, 1, true, true, ""},
		{"many", "a,b", 0, "", partial, 2.0 / 3, false, true, ""},
		{"many", "a,b,c", 0, "", partial, 0, false, true, ""}, // 2/3 - 1/(4-3) < 0
		{"many", "c", 0, "", penalty, -0.25, false, true, ""},
		{"many", "a,b", 0, "", strict, 0, false, true, ""},
		{"many", "a,b", 0, "", penalty, 2.0 / 3, false, true, ""}, // partly right is not wrong
		{"tf", "true", 0, "", partial, 1, true, true, ""},
		{"tf", "T", 0, "", partial, 1, true, true, ""},
		{"tf", "false", 0, "", partial, 0, false, true, ""},
		{"tf", "maybe", 0, "", partial, 0, false, false, `"maybe" is not true or false`},
		{"print-div", "3.5", 0, "", partial, 1, true, true, ""},
		{"print-div", "3", 0, "", partial, 0, false, true, ""},
		{"print-div", "3", 0, "2.7", partial, 1, true, true, ""}, // a report says which version was asked
		{"print-div", "3", 0, "two", partial, 0, false, true, `python "two" is not a version`},
		{"raises", "1\nError", 0, "", partial, 1, true, true, ""},
		{"raises", "1 error", 0, "", partial, 1, true, true, ""},
		{"raises", "Error", 0, "", partial, 0, false, true, ""},
		{"silent", "Nothing", 0, "", partial, 1, true, true, ""},
		{"silent", "nothing", 0, "", partial, 1, true, true, ""},
		{"silent", "Forever", 0, "", partial, 0, false, true, ""},
		{"keyword", "  YIELD ", 0, "", partial, 1, true, true, ""},
		{"keyword", "return", 0, "", partial, 0, false, true, ""},
		{"demo/keyword", "yield", 0, "", partial, 1, true, true, ""},
		{"nope", "a", 0, "", partial, 0, false, false, "no such question in pack demo"},
		{"other/keyword", "yield", 0, "", partial, 0, false, false, "no such question in pack demo"},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%s=%q/%s/h%d/py%s", tt.q, tt.given, tt.rules.Multi, tt.hints, tt.python)
		g := NewGrader(p, tt.rules, nil)
		gs, probs := g.Grade(Sheet{Student: "ada", Answers: []SheetAnswer{{Question: tt.q, Given: tt.given, Hints: tt.hints, Python: tt.python}}})
		require.Len(t, gs.Records, len(p.Questions), "%s: want one record per question", name)
		if tt.problem == "" {
			assert.Empty(t, probs, name)
		} else if assert.Len(t, probs, 1, name) {
			assert.Contains(t, probs[0].Message, tt.problem, name)
		}
		var rec *Record
		for i := range gs.Records {
			if r := &gs.Records[i]; r.Item.Question.ID == strings.TrimPrefix(tt.q, "demo/") {
				rec = r
			}
		}
		if rec == nil {
			assert.Zero(t, gs.Total.Points, "%s: total for an unknown question", name)
			continue
		}
		assert.InDelta(t, tt.points, rec.Points, 1e-9, "%s: points", name)
		assert.Equal(t, tt.correct, rec.Correct, "%s: correct", name)
		assert.Equal(t, tt.answered, rec.Answered, "%s: answered", name)
		assert.InDelta(t, tt.points, gs.Total.Points, 1e-9, "%s: total (a missing question is unanswered)", name)
		assert.Equal(t, float64(len(p.Questions)), gs.Total.Max, "%s: max", name)
	}
}

func TestGraderTwiceAnswered(t *testing.T) {
	g := NewGrader(loadSheetPack(t), DefaultRules, nil)
	gs, probs := g.Grade(Sheet{Answers: []SheetAnswer{{Question: "one", Given: "b"}, {Question: "demo/one", Given: "c"}}})
	if assert.Len(t, probs, 1) {
		assert.Contains(t, probs[0].Error(), "question demo/one: answered twice")
	}
	assert.Equal(t, "b", gs.Records[0].Given, "the first answer counts")
	assert.True(t, gs.Records[0].Correct, "the first answer counts")
}

// TestGraderMatchesPlay plays a shuffled exam, then grades the canonical
// answers the session recorded: every record must come out the same, so
// grade and play cannot drift apart.
func TestGraderMatchesPlay(t *testing.T) {
	p := loadSheetPack(t)
	rules := Rules{Multi: Partial, Penalty: 0.25, HintPenalty: -1}
	typed := map[string]string{"one": "a", "many": "a b", "tf": "f", "print-div": "3.5", "raises": "1 Error", "silent": "x", "keyword": "Yield"}
	for seed := uint64(1); seed <= 5; seed++ {
		s := NewSession(p.Questions, SessionConfig{Mode: Exam, Rules: rules, Seed: seed, Shuffle: true, Packs: map[string]*Pack{"demo": p}})
		for !s.Done() {
			it := s.Current()
			if it.Question.ID == "tf" {
				s.Hint() // no hints in this pack: nothing is counted
			}
			r, err := ParseResponse(it.Question, typed[it.Question.ID], it.Order)
			require.NoError(t, err, "seed %d %s", seed, it.Question.ID)
			s.Answer(r, time.Second)
		}
		sheet := Sheet{Student: "ada", Pack: "demo"}
		want := map[string]Record{}
		for _, r := range s.Records {
			sheet.Answers = append(sheet.Answers, SheetAnswer{Question: r.Item.Question.FullID(), Given: r.Given, Hints: r.Hints})
			want[r.Item.Question.ID] = r
		}
		gs, probs := NewGrader(p, rules, nil).Grade(sheet)
		require.Empty(t, probs, "seed %d", seed)
		for _, got := range gs.Records {
			w := want[got.Item.Question.ID]
			assert.Equal(t, w.Given, got.Given, "seed %d %s: grade vs play", seed, got.Item.Question.ID)
			assert.InDelta(t, w.Points, got.Points, 1e-9, "seed %d %s: grade vs play", seed, got.Item.Question.ID)
			assert.Equal(t, w.Correct, got.Correct, "seed %d %s: grade vs play", seed, got.Item.Question.ID)
		}
		assert.InDelta(t, s.Summary().Total.Points, gs.Total.Points, 1e-9, "seed %d: grade total vs play", seed)
	}
}

func TestParseGivenMessages(t *testing.T) {
	multi := choiceQ(Multi, 3, 0)
	tests := []struct {
		q    *Question
		in   string
		want string
	}{
		{multi, "a,z", `"a,z" is not a choice (a to c)`},
		{multi, "1", `"1" is not a choice (a to c)`},
		{&Question{Type: TrueFalse}, "perhaps", `"perhaps" is not true or false`},
	}
	for _, tt := range tests {
		_, err := ParseGiven(tt.q, tt.in)
		assert.EqualError(t, err, tt.want, "ParseGiven(%s, %q)", tt.q.Type, tt.in)
	}
}

func ExampleGrader() {
	p, _ := Parse("demo.yaml", []byte(`format: 1
pack: {id: demo, title: Demo, version: 1.0.0}
questions:
  - {id: one, type: single, prompt: Pick b., choices: [w, x, y], answer: b}
  - {id: two, type: multi, prompt: Pick a and c., choices: [w, x, y, z], answer: "a,c"}
`))
	g := NewGrader(p, DefaultRules, nil)
	gs, probs := g.Grade(Sheet{Student: "ada", Answers: []SheetAnswer{{Question: "one", Given: "b"}, {Question: "two", Given: "a"}}})
	fmt.Printf("%s: %g/%g, %d problem(s)\n", gs.Student, gs.Total.Points, gs.Total.Max, len(probs))
	// Output: ada: 1.5/2, 0 problem(s)
}
