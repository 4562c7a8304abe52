package cli

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/internal/iostreams"
)

var update = flag.Bool("update", false, "rewrite golden files")

// testFactory is a factory on buffers with its folders under t.TempDir().
func testFactory(t *testing.T) *Factory {
	t.Helper()
	f := NewFactory()
	f.IOStreams, _, _, _ = iostreams.Test()
	dir := t.TempDir()
	env := map[string]string{"XDG_DATA_HOME": filepath.Join(dir, "data"), "PYQUIZ_HOME": filepath.Join(dir, "state")}
	f.Getenv = func(k string) string { return env[k] }
	return f
}

func runCmd(t *testing.T, f *Factory, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	_, _, out, errOut := iostreams.Test()
	f.IOStreams.Out, f.IOStreams.ErrOut = out, errOut
	code = Run(context.Background(), f, args)
	return out.String(), errOut.String(), code
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./internal/cli -update to create it")
	assert.Equal(t, string(want), got, "output differs from %s (go test ./internal/cli -update to accept)", path)
}

func TestValidateBrokenPacksGolden(t *testing.T) {
	f := testFactory(t)
	stdout, stderr, code := runCmd(t, f, "validate", "testdata/broken")
	assert.Equal(t, ExitFindings, code)
	golden(t, "validate_broken", stdout+"--- stderr\n"+stderr)
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		// one line per problem, each starting file:line:col
		assert.True(t, strings.HasPrefix(line, "testdata/broken/") && strings.Count(line, ":") >= 3, "problem line without file:line:col: %q", line)
	}
}

func TestValidateJSONGolden(t *testing.T) {
	f := testFactory(t)
	stdout, _, code := runCmd(t, f, "validate", "--json", "testdata/broken/mistakes.yaml")
	assert.Equal(t, ExitFindings, code)
	golden(t, "validate_mistakes_json", stdout)
}

func TestValidateBuiltinStrict(t *testing.T) {
	f := testFactory(t)
	stdout, stderr, code := runCmd(t, f, "validate", "--strict")
	require.Equal(t, ExitOK, code, "built-in packs fail validate --strict:\n%s%s", stdout, stderr)
	require.Empty(t, stdout)
}

func TestValidateTooLarge(t *testing.T) {
	f := testFactory(t)
	path := filepath.Join(t.TempDir(), "huge.yaml")
	require.NoError(t, os.WriteFile(path, []byte("format: 1\n"+strings.Repeat("# padding\n", 1_100_000)), 0o644))
	stdout, _, code := runCmd(t, f, "validate", path)
	assert.Equal(t, ExitFindings, code)
	assert.Contains(t, stdout, path+": file is", "the 10 MiB refusal names the file")
	assert.Contains(t, stdout, "limited to 10 MiB")
}

func TestValidateDuplicatePackIDs(t *testing.T) {
	f := testFactory(t)
	dir := t.TempDir()
	pack := "format: 1\npack: {id: twin, title: Twin, version: 1.0.0}\nquestions:\n  - {id: q, type: truefalse, prompt: p, answer: true, explanation: e, tags: [t], difficulty: easy}\n"
	for _, n := range []string{"a.yaml", "b.yaml"} {
		os.WriteFile(filepath.Join(dir, n), []byte(pack), 0o644)
	}
	stdout, _, code := runCmd(t, f, "validate", dir)
	want := filepath.Join(dir, "b.yaml") + `:2:7: pack id "twin" is also used by ` + filepath.Join(dir, "a.yaml") + ":2:7"
	assert.Equal(t, ExitFindings, code)
	assert.Equal(t, want, strings.TrimSpace(stdout))
}

func TestValidateWarningsStrict(t *testing.T) {
	f := testFactory(t)
	path := filepath.Join(t.TempDir(), "w.yaml")
	os.WriteFile(path, []byte("format: 1\npack: {id: w, title: W, version: 1.0.0}\nquestions:\n  - {id: q, type: truefalse, prompt: p, answer: true, difficulty: easy, tags: [t]}\n"), 0o644)
	_, _, code := runCmd(t, f, "validate", path)
	assert.Equal(t, ExitOK, code, "warnings only")
	stdout, _, code := runCmd(t, f, "validate", "--strict", path)
	assert.Equal(t, ExitFindings, code, "--strict")
	assert.Contains(t, stdout, ":4:5: warning: question q has no explanation")
}

// verify with no interpreter anywhere proves nothing, so it must not pass.
func TestVerifyWithoutInterpreters(t *testing.T) {
	f := testFactory(t)
	empty := t.TempDir()
	env := map[string]string{"PATH": empty, "PYENV_ROOT": empty, "HOME": empty, "PYQUIZ_HOME": empty}
	f.Getenv = func(k string) string { return env[k] }
	_, stderr, code := runCmd(t, f, "verify")
	assert.Equal(t, ExitFindings, code)
	assert.Contains(t, stderr, "no Python interpreter found")
}
