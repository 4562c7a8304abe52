package cli

import (
	"context"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/internal/iostreams"
)

// argv -> options: each command's flags land in its options struct.
func TestArgsToOptions(t *testing.T) {
	f := testFactory(t)
	run := func(args ...string) int { return Run(context.Background(), f, args) }

	var lo *ListOptions
	root := NewRootCmd(f)
	root.RemoveCommand(mustFind(t, root, "list"))
	root.AddCommand(newListCmd(f, func(o *ListOptions) error { lo = o; return nil }))
	root.SetArgs([]string{"list", "questions", "--pack", "a,b", "--tag", "x", "--difficulty", "hard", "--json"})
	require.NoError(t, root.Execute())
	want := &ListOptions{f: f, What: "questions", Packs: []string{"a", "b"}, Tags: []string{"x"}, Difficulty: []string{"hard"}, JSON: true}
	assert.Equal(t, want, lo, "list options")

	var vo *ValidateOptions
	root = NewRootCmd(f)
	root.RemoveCommand(mustFind(t, root, "validate"))
	root.AddCommand(newValidateCmd(f, func(o *ValidateOptions) error { vo = o; return nil }))
	root.SetArgs([]string{"validate", "a.yaml", "dir", "--strict"})
	require.NoError(t, root.Execute())
	assert.Equal(t, []string{"a.yaml", "dir"}, vo.Paths)
	assert.True(t, vo.Strict)
	assert.False(t, vo.JSON)

	// usage errors exit 2 and name the flag
	ios, _, _, errOut := iostreams.Test()
	f.IOStreams = ios
	assert.Equal(t, ExitUsage, run("list", "--difficulty", "brutal"), "bad --difficulty")
	assert.Contains(t, errOut.String(), "--difficulty")
	errOut.Reset()
	assert.Equal(t, ExitUsage, run("validate", "--bogus"), "unknown flag")
	assert.Contains(t, errOut.String(), "unknown flag: --bogus")
}

func mustFind(t *testing.T, root *cobra.Command, name string) *cobra.Command {
	t.Helper()
	c, _, err := root.Find([]string{name})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
