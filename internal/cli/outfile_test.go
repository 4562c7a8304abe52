package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/internal/iostreams"
)

const outfilePack = `format: 1
pack:
  id: demo
  title: Demo
  version: 1.0.0
questions:
  - id: answer
    type: short
    prompt: The answer?
    answer: ["42"]
  - id: other
    type: short
    prompt: Another answer?
    answer: ["43"]
`

// Every command that writes a file the user names treats it alike: an
// existing file or symbolic link is refused (exit 2, the message names the
// file, nothing changes) unless --force; with --force the file, or the
// link itself (never its target), is replaced by a whole new file with
// mode 0644 less the umask.
func TestOutputFilesNeverReplacedWithoutForce(t *testing.T) {
	dir := t.TempDir()
	pack := filepath.Join(dir, "pack.yaml")
	require.NoError(t, os.WriteFile(pack, []byte(outfilePack), 0o644))
	gift := filepath.Join(dir, "bank.gift")
	require.NoError(t, os.WriteFile(gift, []byte("::q1:: 1 + 1 is 2 {T}\n"), 0o644))

	for _, tc := range []struct {
		name string
		args func(out string) []string
	}{
		{"play --report", func(out string) []string { return []string{"play", "--pack", pack, "--report", out + ".json"} }},
		{"review --report", func(out string) []string { return []string{"review", "--pack", pack, "--report", out + ".md"} }},
		{"report -o", func(out string) []string { return []string{"report", "--last", "--pack", pack, "-o", out + ".html"} }},
		{"progress export -o", func(out string) []string { return []string{"progress", "export", "-o", out + ".jsonl"} }},
		{"export -o", func(out string) []string { return []string{"export", "--format", "json", pack, "-o", out + ".json"} }},
		{"export --key", func(out string) []string {
			return []string{"export", "--format", "md", pack, "-o", filepath.Join(t.TempDir(), "exam.md"), "--key", out + ".md"}
		}},
		{"import -o", func(out string) []string { return []string{"import", gift, "-o", out + ".yaml"} }},
		{"new -o", func(out string) []string { return []string{"new", "my-pack", "-o", out + ".yaml"} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// one state folder; a factory per command, as per process
			// (a week apart, so that review always has something due)
			state := t.TempDir()
			day := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
			run := func(args ...string) (string, int) {
				day = day.AddDate(0, 0, 7)
				f := NewFactory()
				f.IOStreams, _, _, _ = iostreams.Test()
				env := map[string]string{"XDG_DATA_HOME": filepath.Join(state, "data"), "PYQUIZ_HOME": filepath.Join(state, "state"), "PYQUIZ_NOW": day.Format(time.RFC3339)}
				f.Getenv = func(k string) string { return env[k] }
				f.Now = func() time.Time { return day }
				f.IOStreams.In = strings.NewReader("42\n")
				_, stderr, code := runCmd(t, f, args...)
				return stderr, code
			}
			// a recorded session, for report --last
			stderr, code := run("play", "--pack", pack, "--no-shuffle")
			require.Equal(t, ExitOK, code, stderr)
			base := filepath.Join(t.TempDir(), "out")
			path := tc.args(base)[len(tc.args(base))-1]

			// a new file: written, 0644 less the umask
			for _, umask := range []int{0o022, 0o077} {
				os.Remove(path)
				old := syscall.Umask(umask)
				stderr, code = run(tc.args(base)...)
				syscall.Umask(old)
				require.Equal(t, ExitOK, code, stderr)
				fi, err := os.Stat(path)
				require.NoError(t, err)
				assert.Equal(t, os.FileMode(0o644&^umask), fi.Mode().Perm(), "umask %03o", umask)
			}

			// an existing file: refused, named, unchanged
			require.NoError(t, os.WriteFile(path, []byte("keep"), 0o644))
			stderr, code = run(tc.args(base)...)
			assert.Equal(t, ExitUsage, code, stderr)
			assert.Contains(t, stderr, path+" exists; use --force to replace it")
			data, _ := os.ReadFile(path)
			assert.Equal(t, "keep", string(data))

			// a symbolic link: refused; with --force the link is replaced,
			// its target never written
			target := filepath.Join(filepath.Dir(path), "target")
			require.NoError(t, os.WriteFile(target, []byte("target"), 0o644))
			require.NoError(t, os.Remove(path))
			require.NoError(t, os.Symlink(target, path))
			stderr, code = run(tc.args(base)...)
			assert.Equal(t, ExitUsage, code, stderr)
			assert.Contains(t, stderr, path+" is a symbolic link")
			stderr, code = run(append(tc.args(base), "--force")...)
			require.Equal(t, ExitOK, code, stderr)
			fi, err := os.Lstat(path)
			require.NoError(t, err)
			assert.True(t, fi.Mode().IsRegular(), "the link is replaced by a file")
			data, _ = os.ReadFile(target)
			assert.Equal(t, "target", string(data), "the link's target is left alone")

			// --force replaces a file; no temporary file is left behind
			stderr, code = run(append(tc.args(base), "--force")...)
			require.Equal(t, ExitOK, code, stderr)
			entries, _ := os.ReadDir(filepath.Dir(path))
			for _, e := range entries {
				assert.False(t, strings.HasPrefix(e.Name(), ".pyquiz-"), "left behind: %s", e.Name())
			}
		})
	}
}
