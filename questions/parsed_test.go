package questions_test

import (
	"io/fs"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/internal/packs"
	"github.com/pyquiz/pyquiz/internal/packs/packgen"
	"github.com/pyquiz/pyquiz/questions"
	"github.com/pyquiz/pyquiz/quiz"
)

// TestParsedIsFresh fails when a pack file or the loader changed since
// parsed.go was generated.
func TestParsedIsFresh(t *testing.T) {
	want, err := packgen.Generate(".")
	require.NoError(t, err)
	got, err := os.ReadFile("parsed.go")
	require.NoError(t, err)
	require.True(t, string(got) == string(want), "questions/parsed.go is stale: run go generate ./questions")
}

// TestParsedIsParse checks that the generated values are those quiz.Parse
// returns for every built-in pack file, problems included.
func TestParsedIsParse(t *testing.T) {
	names, err := fs.Glob(questions.FS, "*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, names)
	for _, n := range names {
		data, err := fs.ReadFile(questions.FS, n)
		require.NoError(t, err)
		name := packs.BuiltinPrefix + n
		wantPack, wantProbs := quiz.Parse(name, data)
		gotPack, gotProbs, ok := questions.Parsed(name, data)
		require.True(t, ok, "%s has no generated parse: run go generate ./questions", n)
		assert.Equal(t, wantPack, gotPack, n)
		assert.Equal(t, wantProbs, gotProbs, n)
		// Each call builds new values, as Parse does: a caller that
		// changes a pack changes nobody else's.
		again, _, _ := questions.Parsed(name, data)
		assert.NotSame(t, gotPack, again)
	}
}

// TestParsedNeedsSameContent checks that a file whose content differs from
// what was generated (edited since, or another file of the same name) is
// left to the parser.
func TestParsedNeedsSameContent(t *testing.T) {
	data, err := fs.ReadFile(questions.FS, "traps.yaml")
	require.NoError(t, err)
	_, _, ok := questions.Parsed(packs.BuiltinPrefix+"traps.yaml", data)
	require.True(t, ok)
	edited := append([]byte(nil), data...)
	edited[len(edited)-2] ^= 1
	_, _, ok = questions.Parsed(packs.BuiltinPrefix+"traps.yaml", edited)
	assert.False(t, ok, "edited content")
	_, _, ok = questions.Parsed("traps.yaml", data)
	assert.False(t, ok, "a file that is not built in")
	_, _, ok = questions.Parsed(packs.BuiltinPrefix+"new.yaml", data)
	assert.False(t, ok, "a file not generated")
}
