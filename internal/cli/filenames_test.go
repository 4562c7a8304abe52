package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A file name is outside input too: one with terminal control bytes in it
// (ESC, BEL) is printed escaped in every status line that names it, never
// sent raw to the terminal (issue 13), and it does not stop the command.
func TestFileNamesWithControlBytesAreEscaped(t *testing.T) {
	dir := t.TempDir()
	evil := func(name string) string { return filepath.Join(dir, "evil\x1b[31m\a"+name) }
	gift := evil(".gift")
	require.NoError(t, os.WriteFile(gift, []byte("::q1:: 1 + 1 is 2 {T}\n::q2:: a number {#2}\n"), 0o644))
	badJSONL := evil("-bad.jsonl")
	require.NoError(t, os.WriteFile(badJSONL, []byte("not json\n"), 0o644))
	pack := evil(".yaml")

	getenv := testFactory(t).Getenv // one state and data folder for all
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"import", gift, "-o", pack}, ExitOK},
		{[]string{"export", "--format", "gift", pack, "-o", evil("-out.gift")}, ExitOK},
		{[]string{"new", "my-pack", "-o", evil("-new.yaml")}, ExitOK},
		{[]string{"play", "--pack", pack, "--report", evil("-r.json")}, ExitOK},
		{[]string{"report", "--pack", pack, "-o", evil("-report.md")}, ExitOK},
		{[]string{"progress", "export", "-o", evil("-progress.jsonl")}, ExitOK},
		{[]string{"progress", "import", evil("-progress.jsonl")}, ExitOK},
		{[]string{"progress", "import", badJSONL}, ExitFindings},
	} {
		f := testFactory(t) // a process each: a factory opens its store once
		f.Getenv = getenv
		f.IOStreams.In = strings.NewReader("t\n")
		stdout, stderr, code := runCmd(t, f, tc.args...)
		assert.Equal(t, tc.code, code, "%q: %s", tc.args, stderr)
		assert.NotContains(t, stderr, "\x1b", "%q: raw ESC on stderr", tc.args)
		assert.NotContains(t, stderr, "\a", "%q: raw BEL on stderr", tc.args)
		assert.Contains(t, stderr, `evil\x1b[31m\x07`, "%q: the name, escaped", tc.args)
		assert.NotContains(t, stdout, "\x1b", "%q: raw ESC on stdout", tc.args)
	}
}
