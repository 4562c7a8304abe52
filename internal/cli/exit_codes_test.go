package cli

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Input the user named that does not exist is bad input, exit 2, whatever
// the command (README: Exit codes); the message names it as typed.
func TestMissingInputExitsTwo(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nosuch")
	for _, tc := range []struct {
		args []string
		want string // in the message
	}{
		{[]string{"progress", "import", missing}, missing},
		{[]string{"validate", missing}, missing},
		{[]string{"export", "--format", "gift", "nosuch"}, "pyquiz: nosuch: no such pack"},
		{[]string{"export", "--format", "gift", missing + ".yaml"}, "pyquiz: " + missing + ".yaml: no such file"},
		{[]string{"export", "--format", "gift", "pitfalls", "-o", filepath.Join(missing, "out.txt")}, missing},
		{[]string{"play", "--pack", "nosuch"}, "--pack nosuch: no such pack"},
		{[]string{"show", "nosuch"}, `no question "nosuch"`},
		{[]string{"report", "nosuch"}, `no such session "nosuch"`},
		{[]string{"report", "2026"}, `session "2026" is ambiguous`},
	} {
		f := testFactory(t)
		if tc.args[0] == "report" {
			// two sessions, both started on 2026-03-02
			for _, at := range []string{"2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z"} {
				sf := testFactory(t)
				sf.Getenv = f.Getenv
				now, _ := time.Parse(time.RFC3339, at)
				sf.Now = func() time.Time { return now }
				sf.IOStreams.In = strings.NewReader("s\n")
				_, stderr, code := runCmd(t, sf, "play", "--pack", "pitfalls", "-n", "1")
				require.Equal(t, ExitOK, code, stderr)
			}
		}
		_, stderr, code := runCmd(t, f, tc.args...)
		assert.Equal(t, ExitUsage, code, "%v: stderr %q", tc.args, stderr)
		assert.Contains(t, stderr, tc.want, "%v", tc.args)
		if tc.args[0] == "export" {
			assert.NotContains(t, stderr, "--pack", "%v: names a flag the user did not type", tc.args)
		}
	}
}

// A flag value of the wrong kind says what the flag wants, not what Go's
// number and boolean parsers say (strconv.ParseBool: parsing "maybe": ...).
func TestFlagValueOfTheWrongKind(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"verify", "--share=maybe"}, `invalid argument "maybe" for "--share" flag: want true or false`},
		{[]string{"play", "-n", "x"}, `invalid argument "x" for "-n, --number" flag: want a whole number`},
		{[]string{"play", "-n", "99999999999999999999999"}, `flag: want a smaller number`},
		{[]string{"verify", "--timeout", "banana"}, `invalid argument "banana" for "--timeout" flag: time: invalid duration "banana"`},
	} {
		_, stderr, code := runCmd(t, testFactory(t), tc.args...)
		assert.Equal(t, ExitUsage, code, "%v", tc.args)
		assert.Contains(t, stderr, tc.want, "%v", tc.args)
		assert.NotContains(t, stderr, "strconv", "%v", tc.args)
	}
}
