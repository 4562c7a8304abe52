package gift

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/internal/packfile"
	"github.com/pyquiz/pyquiz/quiz"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./internal/gift -update to create it")
	assert.Equal(t, string(want), string(got), "output differs from %s (go test ./internal/gift -update to accept)", path)
}

func importFile(t *testing.T, name string) (*quiz.Pack, []Note) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	p, notes, err := Import(data, ImportOptions{File: name})
	require.NoError(t, err)
	return p, notes
}

func byID(t *testing.T, p *quiz.Pack, id string) *quiz.Question {
	t.Helper()
	for _, q := range p.Questions {
		if q.ID == id {
			return q
		}
	}
	t.Fatalf("no question %q in the imported pack", id)
	return nil
}

// TestImportConstructs imports a hand-written file with every construct of
// GIFT and checks what a learner would see of each, then the whole pack and
// the list of what was left out against golden files.
func TestImportConstructs(t *testing.T) {
	p, notes := importFile(t, "constructs.gift")

	q := byID(t, p, "late-binding") // [id:] wins over ::name::
	assert.Equal(t, quiz.Single, q.Type)
	assert.Equal(t, []string{"the last value of i, every time", "0, 1, 2", "an error"}, q.Choices)
	assert.Equal(t, []int{0}, q.Answer.Choices)
	assert.Equal(t, map[string]string{"b": "That needs a default argument, lambda i=i: i."}, q.Feedback)
	assert.Contains(t, q.Explanation, "Closures look variables up when they run")   // ####
	assert.Contains(t, q.Explanation, "The closures share one variable.")           // right answer's feedback
	assert.Equal(t, []string{"python-basics", "closures", "scoping-rules"}, q.Tags) // $CATEGORY and [tag:]

	q = byID(t, p, "defaults")
	assert.Equal(t, quiz.TrueFalse, q.Type)
	assert.True(t, q.Answer.Bool)
	assert.Equal(t, map[string]string{"false": "It is evaluated once, at def time."}, q.Feedback)
	assert.Equal(t, "This is why bucket=[] is a trap.\n\nRight: the list is shared between calls.", q.Explanation)

	assert.False(t, byID(t, p, "short-false").Answer.Bool) // {FALSE}
	assert.True(t, byID(t, p, "is-none-a-singleton").Answer.Bool)

	q = byID(t, p, "keyword") // {=a =b}: short, every = is accepted
	assert.Equal(t, quiz.Short, q.Type)
	assert.Equal(t, []string{"yield", "yield from"}, q.Answer.Texts)
	assert.False(t, q.CaseSensitive, "Moodle's short answers ignore case")

	q = byID(t, p, "multi-weights")
	assert.Equal(t, quiz.Multi, q.Type)
	assert.Equal(t, []int{0, 1}, q.Answer.Choices)
	q = byID(t, p, "multi-several-right")
	assert.Equal(t, []string{"0", `""`, "None", `"0"`}, q.Choices)
	assert.Equal(t, []int{0, 1, 2}, q.Answer.Choices)

	assert.Equal(t, "The method that builds a new instance is _____ and it runs before __init__.", byID(t, p, "missing-word").Prompt)

	q = byID(t, p, "escapes-all")
	assert.Equal(t, "Which of these is a dict literal: a{1: 2} b~c\nd\\e?", q.Prompt)
	assert.Equal(t, []string{"{1: 2}", "[1, 2]", "x = 1"}, q.Choices)
	assert.Equal(t, "That is an assignment # not a literal.", q.Feedback["c"])

	assert.Equal(t, "What does\nthis print?", byID(t, p, "multi-line-question").Prompt)
	assert.Equal(t, "Is `**kwargs` a **dict**?", byID(t, p, "is-kwargs-a-dict").Prompt) // [markdown] kept as written
	assert.Equal(t, "Is <b> shown as written?", byID(t, p, "plain").Prompt)

	q = byID(t, p, "html-code") // Moodle trims every line, so indentation in the file is lost...
	assert.Equal(t, "What does this print?", q.Prompt)
	assert.Equal(t, "def f():\nreturn 1 < 2\nprint(f())", q.Code)
	q = byID(t, p, "html-indented-code") // ... and \n escapes keep it
	assert.Equal(t, "def f():\n    return 1 < 2\nprint(f())", q.Code)

	q = byID(t, p, "partial-short")
	assert.Equal(t, []string{"Django", "Flask"}, q.Answer.Texts)
	assert.Equal(t, map[string]string{"Rails": "Rails is Ruby."}, q.Feedback)

	var listed []string
	for _, n := range notes {
		listed = append(listed, n.String())
	}
	report := strings.Join(listed, "\n") + "\n"
	for _, want := range []string{
		"line 54: a numerical question", "line 56: a numerical question", "line 58: a matching question",
		"line 60: an essay question", "line 62: a description", `answer "Bottle" gives 50% credit`,
		"line 66: a one-answer question with 2 full-credit answers", "line 68: a multiple-answer question with no answer worth credit",
		"line 70: Moodle rejects this block: a { or } is missing",
	} {
		assert.Contains(t, report, want)
	}

	text, err := packfile.Marshal(p, "")
	require.NoError(t, err)
	_, probs := quiz.Parse("constructs.yaml", text)
	assert.Empty(t, probs.Errors(), "the imported pack must validate")
	golden(t, "constructs.yaml", text)
	golden(t, "constructs.notes", []byte(report))
}

// TestReadMoodleQuirks pins the places where Moodle's reader does
// something a careful reader of the GIFT docs would not expect.
func TestReadMoodleQuirks(t *testing.T) {
	tests := []struct {
		name, in string
		kinds    []Kind
		check    func(t *testing.T, qs []*Question)
	}{
		{"lower-case t is a short answer", "Q?{t}", []Kind{ShortAnswer}, nil},
		{"TRUE with feedback", "Q?{TRUE#no#yes}", []Kind{TrueFalse}, func(t *testing.T, qs []*Question) {
			assert.Equal(t, "no", qs[0].FalseFB.Text)
			assert.Equal(t, "yes", qs[0].TrueFB.Text)
		}},
		{"a line holding 0 ends a block", "A?{T}\n0\nB?{F}", []Kind{TrueFalse, TrueFalse}, nil},
		{"old Mac line ends", "A?{T}\r\rB?{F}", []Kind{TrueFalse, TrueFalse}, nil},
		{"byte order mark", "\ufeff::n::A?{T}", []Kind{TrueFalse}, func(t *testing.T, qs []*Question) {
			assert.Equal(t, "n", qs[0].Name)
		}},
		{"= in the feedback makes it single", "Q?{~a#x=y ~b}", []Kind{MultiChoice}, func(t *testing.T, qs []*Question) {
			assert.True(t, qs[0].Single)
			assert.Len(t, qs[0].Answers, 3)
		}},
		{"last #### is the general feedback", "Q?{=a ~b####one####two}", []Kind{MultiChoice}, func(t *testing.T, qs []*Question) {
			assert.Equal(t, "two", qs[0].General.Text)
		}},
		{"weights", "Q?{~%50%a ~%-33.33333%b ~%50%c}", []Kind{MultiChoice}, func(t *testing.T, qs []*Question) {
			assert.False(t, qs[0].Single)
			assert.InDelta(t, 0.5, qs[0].Answers[0].Fraction, 1e-9)
			assert.InDelta(t, -0.3333333, qs[0].Answers[1].Fraction, 1e-9)
		}},
		{"comment lines and [id:] [tag:]", "// [id:x\\]y] [tag:a]\n// [tag: b ]\nQ?{T}", []Kind{TrueFalse}, func(t *testing.T, qs []*Question) {
			assert.Equal(t, "x]y", qs[0].IDNumber)
			assert.Equal(t, []string{"a", "b"}, qs[0].Tags)
		}},
		{"an unclosed name is text", "::odd Q?{T}", []Kind{TrueFalse}, func(t *testing.T, qs []*Question) {
			assert.Equal(t, "", qs[0].Name)
			assert.Equal(t, "odd Q?", qs[0].Text.Text)
		}},
		{"= and -> is matching", "Q?{=a -> 1 =b -> 2}", []Kind{Match}, nil},
		{"# first is numerical", "Q?{#3:1}", []Kind{Numerical}, nil},
		{"escaped backslash before n", `Q\\n?{T}`, []Kind{TrueFalse}, func(t *testing.T, qs []*Question) {
			assert.Equal(t, `Q\n?`, qs[0].Text.Text)
		}},
		{"category", "$CATEGORY: a/b\n\nQ?{T}", []Kind{Category, TrueFalse}, func(t *testing.T, qs []*Question) {
			assert.Equal(t, "a/b", qs[0].Category)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			qs, probs, err := Read([]byte(tc.in))
			require.NoError(t, err)
			require.Empty(t, probs)
			var kinds []Kind
			for _, q := range qs {
				kinds = append(kinds, q.Kind)
			}
			require.Equal(t, tc.kinds, kinds)
			if tc.check != nil {
				tc.check(t, qs)
			}
		})
	}
}

func TestReadRejects(t *testing.T) {
	_, probs, err := Read([]byte("one\n\nQ?{~a}\n\nQ { ?"))
	require.NoError(t, err)
	require.Len(t, probs, 2)
	assert.Equal(t, "line 3: a multiple-choice question needs at least two answers", probs[0].String())
	assert.Equal(t, 5, probs[1].Line)
}

func TestImportRefusesNotUTF8(t *testing.T) {
	_, _, err := Import([]byte("Q?{T}\n\nK\xf6ln?{T}"), ImportOptions{File: "x.gift"})
	var bad *ErrNotUTF8
	require.ErrorAs(t, err, &bad)
	assert.Equal(t, 3, bad.Line)
	assert.Equal(t, 2, bad.Col)
	assert.Contains(t, err.Error(), "GIFT format files must use UTF-8")
}

func TestImportNothingUsable(t *testing.T) {
	_, notes, err := Import([]byte("Essay?{}\n\nN?{#1}"), ImportOptions{File: "x.gift"})
	require.Error(t, err)
	assert.Len(t, notes, 2)
}

func TestImportIDs(t *testing.T) {
	p, notes, err := Import([]byte("::Käse & Brot::Q?{T}\n\n::Käse & Brot::R?{T}\n\nWhat's up, doc?{F}\n\n{T}\n\n::?::{F}"), ImportOptions{File: "My Bank.gift"})
	require.NoError(t, err)
	var ids []string
	for _, q := range p.Questions {
		ids = append(ids, q.ID)
	}
	assert.Equal(t, []string{"kase-brot", "kase-brot-2", "what-s-up-doc"}, ids)
	assert.Equal(t, "my-bank", p.ID)
	require.Len(t, notes, 2)
	assert.Equal(t, "line 7: the question has no text", notes[0].String())
}
