package quiz

import (
	"slices"
	"strings"
	"testing"
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
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseResponse(%s, %q) error = %v, want %q", tt.q.Type, tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got.Choices, tt.want) {
			t.Errorf("ParseResponse(%s, %q) = %v, %v; want %v", tt.q.Type, tt.in, got.Choices, err, tt.want)
		}
	}
}

func TestParseResponseTrueFalseAndText(t *testing.T) {
	tf := &Question{Type: TrueFalse}
	for in, want := range map[string]bool{"t": true, "T": true, "true": true, "TRUE": true, "f": false, "False": false, "no": false} {
		got, err := ParseResponse(tf, in, nil)
		if err != nil || got.Bool != want {
			t.Errorf("ParseResponse(truefalse, %q) = %v, %v; want %v", in, got.Bool, err, want)
		}
	}
	if _, err := ParseResponse(tf, "maybe", nil); err == nil || !strings.Contains(err.Error(), "type t or f") {
		t.Errorf("ParseResponse(truefalse, maybe) error = %v", err)
	}
	out := &Question{Type: Output}
	got, err := ParseResponse(out, "  True  False ", nil)
	if err != nil || got.Text != "  True  False " {
		t.Errorf("ParseResponse(output) = %q, %v", got.Text, err)
	}
	if _, err := ParseResponse(out, "   ", nil); err != ErrEmptyResponse {
		t.Errorf("ParseResponse(output, blank) error = %v, want ErrEmptyResponse", err)
	}
}

func TestGivenIsCanonical(t *testing.T) {
	q := choiceQ(Multi, 4, 0, 3)
	r, err := ParseResponse(q, "a b", []int{3, 0, 2, 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Given(q); got != "a,d" {
		t.Errorf("Given = %q, want a,d", got)
	}
	// The canonical form parses back to the same response.
	back, err := ParseResponse(q, r.Given(q), nil)
	if err != nil || !slices.Equal(back.Choices, r.Choices) {
		t.Errorf("round trip: %v, %v", back.Choices, err)
	}
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
		if got := IsCorrect(tt.q, key, Response{Text: tt.given}); got != tt.want {
			t.Errorf("IsCorrect(%s, key %q, %q) = %v, want %v", tt.q.Type, tt.key, tt.given, got, tt.want)
		}
	}
}

func TestAskVersionAndKey(t *testing.T) {
	q := &Question{Type: Output, Python: MustConstraint(">=2.7"), Expect: []Outcome{
		{Python: MustConstraint("2.7"), Stdout: "3\n"},
		{Python: MustConstraint(">=3.0"), Stdout: "3.5\n"},
	}}
	v, ok := AskVersion(q, nil)
	if !ok || v.String() != "3.13" {
		t.Errorf("AskVersion(nil) = %v, %v; want 3.13", v, ok)
	}
	py27 := Version{2, 7, -1}
	v, ok = AskVersion(q, &py27)
	if !ok || v != py27 {
		t.Errorf("AskVersion(2.7) = %v, %v", v, ok)
	}
	if got := KeyFor(q, py27).Texts; len(got) != 1 || got[0] != "3\n" {
		t.Errorf("KeyFor(2.7) = %q, want 3", got)
	}
	py26 := Version{2, 6, -1}
	if _, ok := AskVersion(q, &py26); ok {
		t.Errorf("AskVersion(2.6) ok for a >=2.7 question")
	}
	old := &Question{Type: Output, Python: MustConstraint("<3.0"), Expect: []Outcome{{Stdout: "x\n"}}}
	if v, ok := AskVersion(old, nil); !ok || v.String() != "2.7" {
		t.Errorf("AskVersion(<3.0) = %v, %v; want 2.7", v, ok)
	}
	raises := &Question{Type: Output, Expect: []Outcome{{Stdout: "a\n", Raises: "KeyError"}}}
	if got := KeyFor(raises, NewestVersion).Texts[0]; got != "a\nError" {
		t.Errorf("KeyFor(raises) = %q", got)
	}
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
