package gift

import (
	"bytes"
	"io/fs"
	"maps"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/questions"
	"github.com/pyquiz/pyquiz/quiz"
)

func builtinPacks(t testing.TB) []*quiz.Pack {
	names, err := fs.Glob(questions.FS, "*.yaml")
	require.NoError(t, err)
	var packs []*quiz.Pack
	for _, n := range names {
		data, err := fs.ReadFile(questions.FS, n)
		require.NoError(t, err)
		p, probs := quiz.Parse(n, data)
		require.Empty(t, probs.Errors())
		packs = append(packs, p)
	}
	require.NotEmpty(t, packs)
	return packs
}

// TestRoundTrip exports every built-in pack to GIFT, imports the file
// again and gets the same questions: types, choices, answers, feedback,
// text and everything the "// pyquiz:" comments carry.
func TestRoundTrip(t *testing.T) {
	for _, p := range builtinPacks(t) {
		t.Run(p.ID, func(t *testing.T) {
			var buf bytes.Buffer
			_, err := Write(&buf, []*quiz.Pack{p}, nil)
			require.NoError(t, err)
			back, notes, err := Import(buf.Bytes(), ImportOptions{File: "x.gift"})
			require.NoError(t, err)
			assert.Empty(t, notes, "a pyquiz export imports without notes")
			assert.Equal(t, p.ID, back.ID)
			assert.Equal(t, p.Title, back.Title)
			assert.Equal(t, p.Description, back.Description)
			assert.Equal(t, p.Python.String(), back.Python.String())
			require.Len(t, back.Questions, len(p.Questions))
			for i, want := range p.Questions {
				got := back.Questions[i]
				assertSameQuestion(t, want, got)
			}
			checkPack(t, back)
			assertMoodleGrades(t, buf.Bytes())
		})
	}
}

func assertSameQuestion(t *testing.T, want, got *quiz.Question) {
	t.Helper()
	id := want.FullID()
	assert.Equal(t, want.ID, got.ID, id)
	assert.Equal(t, want.Type, got.Type, id)
	assert.Equal(t, words(want.Prompt), words(got.Prompt), id)
	assert.Equal(t, strings.TrimRight(want.Code, "\n"), got.Code, id)
	assert.Equal(t, want.Choices, got.Choices, id)
	assert.Equal(t, want.Answer, got.Answer, id)
	assert.Equal(t, folded(want.Type, want.Feedback), folded(want.Type, got.Feedback), id)
	assert.Equal(t, words(want.Explanation), words(got.Explanation), id)
	assert.Equal(t, want.Hints, got.Hints, id)
	assert.Equal(t, want.Tags, got.Tags, id)
	assert.Equal(t, want.Difficulty, got.Difficulty, id)
	assert.Equal(t, want.Points, got.Points, id)
	assert.Equal(t, want.Python.String(), got.Python.String(), id)
	assert.Equal(t, want.Source, got.Source, id)
	assert.Equal(t, want.CaseSensitive, got.CaseSensitive, id)
	require.Len(t, got.Expect, len(want.Expect), id)
	for i, o := range want.Expect {
		assert.Equal(t, o.Stdout, got.Expect[i].Stdout, id)
		assert.Equal(t, o.Raises, got.Expect[i].Raises, id)
		assert.Equal(t, o.Python.String(), got.Expect[i].Python.String(), id)
	}
}

// words folds whitespace: GIFT's HTML joins the lines of a paragraph that
// a YAML block folded by hand, as pyquiz's renderer does.
func words(s string) string { return strings.Join(strings.Fields(s), " ") }

// folded compares short and output feedback keys as pyquiz compares answers.
func folded(t quiz.Type, fb map[string]string) map[string]string {
	if len(fb) == 0 {
		return nil
	}
	out := map[string]string{}
	for k, v := range maps.All(fb) {
		if t == quiz.Short || t == quiz.Output {
			k = quiz.NormalizeOutput(k)
		}
		out[k] = words(v)
	}
	return out
}

// TestRoundTripImported takes the hand-written GIFT file through import,
// export and import again: the second import gives the first one's pack.
func TestRoundTripImported(t *testing.T) {
	first, _ := importFile(t, "constructs.gift")
	var buf bytes.Buffer
	_, err := Write(&buf, []*quiz.Pack{first}, nil)
	require.NoError(t, err)
	back, notes, err := Import(buf.Bytes(), ImportOptions{File: "other-name.gift"})
	require.NoError(t, err)
	assert.Empty(t, notes)
	assert.Equal(t, first.ID, back.ID)
	require.Len(t, back.Questions, len(first.Questions))
	for i, want := range first.Questions {
		assertSameQuestion(t, want, back.Questions[i])
	}
}

// assertMoodleGrades reads an exported file as Moodle does and checks that
// every answer's grade is one Moodle's import accepts (its default "match
// grades: error" refuses any other) and every multi question's weights add
// up to 100% for the right answers.
func assertMoodleGrades(t *testing.T, data []byte) {
	t.Helper()
	qs, probs, err := Read(data)
	require.NoError(t, err)
	require.Empty(t, probs)
	for _, q := range qs {
		sum := 0.0
		for _, a := range q.Answers {
			ok := a.Fraction == 0
			for _, m := range moodleFractions {
				ok = ok || math.Abs(math.Abs(a.Fraction)-m) < 0.00001
			}
			assert.True(t, ok, "%s: grade %v is not on Moodle's list", q.Name, a.Fraction)
			if a.Fraction > 0 {
				sum += a.Fraction
			}
		}
		if q.Kind == MultiChoice && !q.Single {
			assert.InDelta(t, 1, sum, 0.0001, q.Name)
		}
	}
}
