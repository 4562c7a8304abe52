package cli

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/cli -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test ./internal/cli -update to accept):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestValidateBrokenPacksGolden(t *testing.T) {
	f := testFactory(t)
	stdout, stderr, code := runCmd(t, f, "validate", "testdata/broken")
	if code != ExitFindings {
		t.Errorf("exit code %d, want %d", code, ExitFindings)
	}
	golden(t, "validate_broken", stdout+"--- stderr\n"+stderr)
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		// one line per problem, each starting file:line:col
		if !strings.HasPrefix(line, "testdata/broken/") || strings.Count(line, ":") < 3 {
			t.Errorf("problem line without file:line:col: %q", line)
		}
	}
}

func TestValidateJSONGolden(t *testing.T) {
	f := testFactory(t)
	stdout, _, code := runCmd(t, f, "validate", "--json", "testdata/broken/mistakes.yaml")
	if code != ExitFindings {
		t.Errorf("exit code %d, want %d", code, ExitFindings)
	}
	golden(t, "validate_mistakes_json", stdout)
}

func TestValidateBuiltinStrict(t *testing.T) {
	f := testFactory(t)
	stdout, stderr, code := runCmd(t, f, "validate", "--strict")
	if code != ExitOK || stdout != "" {
		t.Fatalf("built-in packs fail validate --strict (exit %d):\n%s%s", code, stdout, stderr)
	}
}

func TestValidateTooLarge(t *testing.T) {
	f := testFactory(t)
	path := filepath.Join(t.TempDir(), "huge.yaml")
	if err := os.WriteFile(path, []byte("format: 1\n"+strings.Repeat("# padding\n", 1_100_000)), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, _, code := runCmd(t, f, "validate", path)
	if code != ExitFindings || !strings.Contains(stdout, path+": file is") || !strings.Contains(stdout, "limited to 10 MiB") {
		t.Errorf("exit %d, output %q; want the 10 MiB refusal naming the file", code, stdout)
	}
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
	if code != ExitFindings || strings.TrimSpace(stdout) != want {
		t.Errorf("exit %d, output:\n%s\nwant:\n%s", code, stdout, want)
	}
}

func TestValidateWarningsStrict(t *testing.T) {
	f := testFactory(t)
	path := filepath.Join(t.TempDir(), "w.yaml")
	os.WriteFile(path, []byte("format: 1\npack: {id: w, title: W, version: 1.0.0}\nquestions:\n  - {id: q, type: truefalse, prompt: p, answer: true, difficulty: easy, tags: [t]}\n"), 0o644)
	if _, _, code := runCmd(t, f, "validate", path); code != ExitOK {
		t.Errorf("warnings only: exit %d, want 0", code)
	}
	stdout, _, code := runCmd(t, f, "validate", "--strict", path)
	if code != ExitFindings || !strings.Contains(stdout, ":4:5: warning: question q has no explanation") {
		t.Errorf("--strict: exit %d, output %q; want exit 1 and the warning", code, stdout)
	}
}

// verify with no interpreter anywhere proves nothing, so it must not pass.
func TestVerifyWithoutInterpreters(t *testing.T) {
	f := testFactory(t)
	empty := t.TempDir()
	env := map[string]string{"PATH": empty, "PYENV_ROOT": empty, "HOME": empty, "PYQUIZ_HOME": empty}
	f.Getenv = func(k string) string { return env[k] }
	_, stderr, code := runCmd(t, f, "verify")
	if code != ExitFindings || !strings.Contains(stderr, "no Python interpreter found") {
		t.Errorf("exit %d, stderr %q; want exit 1 saying no interpreter was found", code, stderr)
	}
}
