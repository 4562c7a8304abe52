package quiz

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func choiceQ(t Type, n int, key ...int) *Question {
	q := &Question{PackID: "p", ID: "q", Type: t, Points: 1, CaseSensitive: true}
	for i := 0; i < n; i++ {
		q.Choices = append(q.Choices, "choice "+Letter(i))
	}
	q.Answer = Answer{Choices: key, Set: true}
	return q
}

func TestParseResponseLetters(t *testing.T) {
	single := choiceQ(Single, 4, 1)
	multi := choiceQ(Multi, 5, 0, 2)
	rev := []int{3, 2, 1, 0} // display a shows canonical d
	tests := []struct {
		q     *Question
		in    string
		order []int
		want  []int
		err   string
	}{
		{single, "b", nil, []int{1}, ""},
		{single, " B ", nil, []int{1}, ""},
		{single, "b)", nil, []int{1}, ""},
		{single, "a", rev, []int{3}, ""},
		{single, "e", nil, nil, "there is no choice e; type a letter from a to d"},
		{single, "ab", nil, nil, "pick one letter"},
		{single, "yes", nil, nil, `"yes" is not a choice letter`},
		{single, "1", nil, nil, `"1" is not a choice letter`},
		{single, "Choice  C", nil, []int{2}, ""},
		{single, "choice c", rev, []int{2}, ""},
		{single, "", nil, nil, "type an answer"},
		{multi, "a,c", nil, []int{0, 2}, ""},
		{multi, "a c", nil, []int{0, 2}, ""},
		{multi, "AC", nil, []int{0, 2}, ""},
		{multi, "c, a, a", nil, []int{0, 2}, ""},
		{multi, "a;e", nil, []int{0, 4}, ""},
		{multi, "a,f", nil, nil, "not a choice letter"},
	}
	for _, tt := range tests {
		got, err := ParseResponse(tt.q, tt.in, tt.order)
		if tt.err != "" {
			assert.ErrorContains(t, err, tt.err, "ParseResponse(%s, %q)", tt.q.Type, tt.in)
			continue
		}
		if assert.NoError(t, err, "ParseResponse(%s, %q)", tt.q.Type, tt.in) {
			assert.Equal(t, tt.want, got.Choices, "ParseResponse(%s, %q)", tt.q.Type, tt.in)
		}
	}
}

func TestParseResponseTrueFalseAndText(t *testing.T) {
	tf := &Question{Type: TrueFalse}
	for in, want := range map[string]bool{"t": true, "T": true, "true": true, "TRUE": true, "f": false, "False": false, "no": false} {
		got, err := ParseResponse(tf, in, nil)
		require.NoError(t, err, "ParseResponse(truefalse, %q)", in)
		assert.Equal(t, want, got.Bool, "ParseResponse(truefalse, %q)", in)
	}
	_, err := ParseResponse(tf, "maybe", nil)
	assert.ErrorContains(t, err, "type t or f")
	out := &Question{Type: Output}
	got, err := ParseResponse(out, "  True  False ", nil)
	require.NoError(t, err)
	assert.Equal(t, "  True  False ", got.Text)
	_, err = ParseResponse(out, "   ", nil)
	assert.Equal(t, ErrEmptyResponse, err, "ParseResponse(output, blank)")
}

func TestGivenIsCanonical(t *testing.T) {
	q := choiceQ(Multi, 4, 0, 3)
	r, err := ParseResponse(q, "a b", []int{3, 0, 2, 1})
	require.NoError(t, err)
	assert.Equal(t, "a,d", r.Given(q))
	// The canonical form parses back to the same response.
	back, err := ParseResponse(q, r.Given(q), nil)
	require.NoError(t, err)
	assert.Equal(t, r.Choices, back.Choices, "round trip")
}

func TestIsCorrectText(t *testing.T) {
	out := &Question{Type: Output}
	short := &Question{Type: Short, CaseSensitive: false}
	exact := &Question{Type: Short, CaseSensitive: true}
	tests := []struct {
		q     *Question
		key   string
		given string
		want  bool
	}{
		{out, "True\nFalse\n", "True False", true},
		{out, "True\nFalse\n", "True\tFalse  ", true},
		{out, "True\nFalse\n", "true false", false},
		{out, "Error", "error", true},
		{out, "1\nError", "1 ERROR", true},
		{out, "1\nError", "2 error", false},
		{out, "Nothing", "nothing", true},
		{out, "Errors\n", "errors", false},
		{short, "yield", " YIELD ", true},
		{short, "yield from", "yield   from", true},
		{exact, "None", "none", false},
		{exact, "None", "None", true},
	}
	for _, tt := range tests {
		key := Answer{Texts: []string{tt.key}, Set: true}
		assert.Equal(t, tt.want, IsCorrect(tt.q, key, Response{Text: tt.given}), "IsCorrect(%s, key %q, %q)", tt.q.Type, tt.key, tt.given)
	}
}

func TestAskVersionAndKey(t *testing.T) {
	q := &Question{Type: Output, Python: MustConstraint(">=2.7"), Expect: []Outcome{
		{Python: MustConstraint("2.7"), Stdout: "3\n"},
		{Python: MustConstraint(">=3.0"), Stdout: "3.5\n"},
	}}
	v, ok := AskVersion(q, nil)
	assert.True(t, ok)
	assert.Equal(t, "3.13", v.String(), "AskVersion(nil)")
	py27 := Version{2, 7, -1}
	v, ok = AskVersion(q, &py27)
	assert.True(t, ok)
	assert.Equal(t, py27, v, "AskVersion(2.7)")
	assert.Equal(t, []string{"3\n"}, KeyFor(q, py27).Texts, "KeyFor(2.7)")
	py26 := Version{2, 6, -1}
	_, ok = AskVersion(q, &py26)
	assert.False(t, ok, "AskVersion(2.6) ok for a >=2.7 question")
	old := &Question{Type: Output, Python: MustConstraint("<3.0"), Expect: []Outcome{{Stdout: "x\n"}}}
	v, ok = AskVersion(old, nil)
	assert.True(t, ok)
	assert.Equal(t, "2.7", v.String(), "AskVersion(<3.0)")
	raises := &Question{Type: Output, Expect: []Outcome{{Stdout: "a\n", Raises: "KeyError"}}}
	assert.Equal(t, "a\nError", KeyFor(raises, NewestVersion).Texts[0], "KeyFor(raises)")
}

func FuzzParseResponse(f *testing.F) {
	for _, s := range []string{"a", "a,c", "AC", "t", "false", "", "??", "\x00", "zzz", "a b c d e"} {
		f.Add(s, uint8(4))
	}
	f.Fuzz(func(t *testing.T, line string, n uint8) {
		for _, typ := range Types {
			q := choiceQ(typ, int(n%30), 0)
			order := make([]int, len(q.Choices))
			for i := range order {
				order[i] = len(order) - 1 - i
			}
			r, err := ParseResponse(q, line, order)
			if err != nil {
				continue
			}
			for _, c := range r.Choices {
				if c < 0 || c >= len(q.Choices) {
					t.Fatalf("%s %q: choice %d out of range", typ, line, c)
				}
			}
		}
	})
}
