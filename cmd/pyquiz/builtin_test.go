package main

import (
	"io/fs"
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/internal/packs"
	"github.com/pyquiz/pyquiz/questions"
	"github.com/pyquiz/pyquiz/quiz"
)

// TestBuiltinPacksAreTheYAML checks that the binary's built-in packs, which
// it builds from code generated ahead of time (questions/parsed.go), are
// what the loader makes of questions/*.yaml today. It fails after an edit
// of a pack file or of the loader until `go generate ./questions` is run.
func TestBuiltinPacksAreTheYAML(t *testing.T) {
	names, err := fs.Glob(questions.FS, "*.yaml")
	require.NoError(t, err)
	for _, n := range names {
		data, err := fs.ReadFile(questions.FS, n)
		require.NoError(t, err)
		wantPack, wantProbs := quiz.Parse(packs.BuiltinPrefix+n, data)
		gotPack, gotProbs, ok := questions.Parsed(packs.BuiltinPrefix+n, data)
		require.True(t, ok && reflect.DeepEqual(wantPack, gotPack) && reflect.DeepEqual(wantProbs, gotProbs),
			"questions/parsed.go is stale for %s: run go generate ./questions", n)
	}
}
