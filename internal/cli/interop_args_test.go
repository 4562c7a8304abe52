package cli

import (
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// argv -> options for import, export and pack.
func TestInteropArgsToOptions(t *testing.T) {
	f := testFactory(t)
	exec := func(cmd *cobra.Command, args ...string) {
		t.Helper()
		root := NewRootCmd(f)
		root.RemoveCommand(mustFind(t, root, cmd.Name()))
		root.AddCommand(cmd)
		root.SetArgs(args)
		require.NoError(t, root.Execute())
	}

	var io *ImportOptions
	exec(newImportCmd(f, func(o *ImportOptions) error { io = o; return nil }), "import", "bank.gift", "-o", "bank.yaml", "--id", "week-1", "--force", "--strict")
	assert.Equal(t, &ImportOptions{f: f, File: "bank.gift", Output: "bank.yaml", ID: "week-1", Force: true, Strict: true}, io)

	var eo *ExportOptions
	exec(newExportCmd(f, func(o *ExportOptions) error { eo = o; return nil }), "export", "pitfalls", "x.yaml", "-o", "exam.md", "--key", "key.md", "--python", "2.7")
	assert.Equal(t, &ExportOptions{f: f, Packs: []string{"pitfalls", "x.yaml"}, Format: "md", Output: "exam.md", Key: "key.md", Python: "2.7"}, eo,
		"the format comes from the -o file's extension")

	var po *PackOptions
	pack := newPackCmd(f, func(o *PackOptions) error { po = o; return nil })
	exec(pack, "pack", "add", "mine.yaml", "--force")
	assert.Equal(t, &PackOptions{f: f, Action: "add", Arg: "mine.yaml", Force: true}, po)
	exec(newPackCmd(f, func(o *PackOptions) error { po = o; return nil }), "pack", "remove", "mine")
	assert.Equal(t, &PackOptions{f: f, Action: "remove", Arg: "mine"}, po)
	exec(newPackCmd(f, func(o *PackOptions) error { po = o; return nil }), "pack", "list", "--json")
	assert.Equal(t, &PackOptions{f: f, Action: "list", JSON: true}, po)
}
