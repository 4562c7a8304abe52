package cli

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/cobra"

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
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	want := &ListOptions{f: f, What: "questions", Packs: []string{"a", "b"}, Tags: []string{"x"}, Difficulty: []string{"hard"}, JSON: true}
	if !reflect.DeepEqual(lo, want) {
		t.Errorf("list options = %+v, want %+v", lo, want)
	}

	var vo *ValidateOptions
	root = NewRootCmd(f)
	root.RemoveCommand(mustFind(t, root, "validate"))
	root.AddCommand(newValidateCmd(f, func(o *ValidateOptions) error { vo = o; return nil }))
	root.SetArgs([]string{"validate", "a.yaml", "dir", "--strict"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(vo.Paths, []string{"a.yaml", "dir"}) || !vo.Strict || vo.JSON {
		t.Errorf("validate options = %+v", vo)
	}

	// usage errors exit 2 and name the flag
	ios, _, _, errOut := iostreams.Test()
	f.IOStreams = ios
	if code := run("list", "--difficulty", "brutal"); code != ExitUsage || !strings.Contains(errOut.String(), "--difficulty") {
		t.Errorf("bad --difficulty: exit %d, stderr %q", code, errOut.String())
	}
	errOut.Reset()
	if code := run("validate", "--bogus"); code != ExitUsage || !strings.Contains(errOut.String(), "unknown flag: --bogus") {
		t.Errorf("unknown flag: exit %d, stderr %q", code, errOut.String())
	}
}

func mustFind(t *testing.T, root *cobra.Command, name string) *cobra.Command {
	t.Helper()
	c, _, err := root.Find([]string{name})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
