package packs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

const packText = `format: 1
pack: {id: %ID%, title: T, version: 1.0.0}
questions:
  - {id: q, type: truefalse, prompt: "%P%", answer: true, explanation: e, tags: [t], difficulty: easy}
`

func pack(id, prompt string) string {
	return strings.NewReplacer("%ID%", id, "%P%", prompt).Replace(packText)
}

func write(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoad(t *testing.T) {
	builtin := fstest.MapFS{"core.yaml": {Data: []byte(pack("core", "built-in"))}}
	user := t.TempDir()
	write(t, user, "extra.yaml", pack("extra", "user"))
	write(t, user, "nested/deep.yml", pack("deep", "nested"))
	write(t, user, ".hidden/skip.yaml", pack("hidden", "hidden"))
	write(t, user, "broken.yaml", "format: 1\npack: {id: broken, title: B}\nquestions:\n  - {id: q, type: essay, prompt: p}\n")
	mine := write(t, t.TempDir(), "core.yaml", pack("core", "edited copy"))

	res, err := Load(Options{Builtin: builtin, Dirs: []string{user, filepath.Join(user, "missing")}, Paths: []string{mine}})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range res.Library.Packs {
		ids = append(ids, p.ID)
	}
	if got := strings.Join(ids, " "); got != "core deep extra" {
		t.Errorf("library packs = %q, want core deep extra (hidden folders skipped, broken left out)", got)
	}
	if got := res.Library.Pack("core").Questions[0].Prompt; got != "edited copy" {
		t.Errorf("core prompt = %q: the pack named on the command line must replace the built-in one", got)
	}
	if len(res.Replaced) != 1 || res.Replaced[0].Old.File != "builtin:core.yaml" {
		t.Errorf("replaced = %+v, want the built-in core", res.Replaced)
	}
	if len(res.Broken) != 1 || !strings.HasSuffix(res.Broken[0].Name, "broken.yaml") {
		t.Errorf("broken = %+v, want broken.yaml", res.Broken)
	}
	if errs := res.Problems.Errors(); len(errs) != 1 || errs[0].Pos.Line != 4 {
		t.Errorf("problems = %v, want the unknown type at line 4", errs)
	}
}

func TestLoadDuplicateIDs(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	write(t, a, "one.yaml", pack("same", "a"))
	write(t, b, "two.yaml", pack("same", "b"))
	res, err := Load(Options{Dirs: []string{a, b}})
	if err != nil {
		t.Fatal(err)
	}
	errs := res.Problems.Errors()
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "two.yaml:2:7: pack id \"same\" is also used by "+filepath.Join(a, "one.yaml")) {
		t.Errorf("problems = %v, want one error naming both files", errs)
	}
}

func TestLoadMissingPath(t *testing.T) {
	if _, err := Load(Options{Paths: []string{"/no/such/pack.yaml"}}); err == nil || !strings.Contains(err.Error(), "/no/such/pack.yaml: no such file or folder") {
		t.Errorf("err = %v, want a message naming the path", err)
	}
	if _, err := Load(Options{Paths: []string{t.TempDir()}}); err == nil || !strings.Contains(err.Error(), "no pack files") {
		t.Errorf("empty folder: err = %v", err)
	}
}

// A pack installed in a pack folder with the id of a built-in pack (pack
// add --force) replaces it quietly; a named path still wins over both.
func TestLoadFolderReplacesBuiltin(t *testing.T) {
	builtin := fstest.MapFS{"core.yaml": {Data: []byte(pack("core", "built-in"))}}
	user := t.TempDir()
	write(t, user, "core.yaml", pack("core", "installed copy"))
	res, err := Load(Options{Builtin: builtin, Dirs: []string{user}})
	if err != nil {
		t.Fatal(err)
	}
	if errs := res.Problems.Errors(); len(errs) != 0 {
		t.Errorf("problems = %v, want none", errs)
	}
	if got := res.Library.Pack("core").Questions[0].Prompt; got != "installed copy" {
		t.Errorf("core prompt = %q, want the installed copy", got)
	}
	if len(res.Replaced) != 1 || !res.Replaced[0].Installed || res.Replaced[0].Old.File != "builtin:core.yaml" {
		t.Errorf("replaced = %+v, want the built-in replaced by the installed copy", res.Replaced)
	}
	mine := write(t, t.TempDir(), "core.yaml", pack("core", "named"))
	res, err = Load(Options{Builtin: builtin, Dirs: []string{user}, Paths: []string{mine}})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Library.Pack("core").Questions[0].Prompt; got != "named" {
		t.Errorf("core prompt = %q, want the named pack", got)
	}
}
