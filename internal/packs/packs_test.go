package packs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
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
	require.NoError(t, err)
	var ids []string
	for _, p := range res.Library.Packs {
		ids = append(ids, p.ID)
	}
	assert.Equal(t, []string{"core", "deep", "extra"}, ids, "hidden folders skipped, broken left out")
	assert.Equal(t, "edited copy", res.Library.Pack("core").Questions[0].Prompt, "the pack named on the command line replaces the built-in one")
	if assert.Len(t, res.Replaced, 1) {
		assert.Equal(t, "builtin:core.yaml", res.Replaced[0].Old.File)
	}
	if assert.Len(t, res.Broken, 1) {
		assert.True(t, strings.HasSuffix(res.Broken[0].Name, "broken.yaml"), res.Broken[0].Name)
	}
	errs := res.Problems.Errors()
	if assert.Len(t, errs, 1) {
		assert.Equal(t, 4, errs[0].Pos.Line, "the unknown type at line 4")
	}
}

func TestLoadDuplicateIDs(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	write(t, a, "one.yaml", pack("same", "a"))
	write(t, b, "two.yaml", pack("same", "b"))
	res, err := Load(Options{Dirs: []string{a, b}})
	require.NoError(t, err)
	errs := res.Problems.Errors()
	require.Len(t, errs, 1, "one error naming both files")
	assert.Contains(t, errs[0].Error(), "two.yaml:2:7: pack id \"same\" is also used by "+filepath.Join(a, "one.yaml"))
}

func TestLoadMissingPath(t *testing.T) {
	_, err := Load(Options{Paths: []string{"/no/such/pack.yaml"}})
	assert.ErrorContains(t, err, "/no/such/pack.yaml: no such file or folder")
	_, err = Load(Options{Paths: []string{t.TempDir()}})
	assert.ErrorContains(t, err, "no pack files")
}

// A pack installed in a pack folder with the id of a built-in pack (pack
// add --force) replaces it quietly; a named path still wins over both.
func TestLoadFolderReplacesBuiltin(t *testing.T) {
	builtin := fstest.MapFS{"core.yaml": {Data: []byte(pack("core", "built-in"))}}
	user := t.TempDir()
	write(t, user, "core.yaml", pack("core", "installed copy"))
	res, err := Load(Options{Builtin: builtin, Dirs: []string{user}})
	require.NoError(t, err)
	assert.Empty(t, res.Problems.Errors())
	assert.Equal(t, "installed copy", res.Library.Pack("core").Questions[0].Prompt)
	if assert.Len(t, res.Replaced, 1) {
		assert.True(t, res.Replaced[0].Installed)
		assert.Equal(t, "builtin:core.yaml", res.Replaced[0].Old.File)
	}
	mine := write(t, t.TempDir(), "core.yaml", pack("core", "named"))
	res, err = Load(Options{Builtin: builtin, Dirs: []string{user}, Paths: []string{mine}})
	require.NoError(t, err)
	assert.Equal(t, "named", res.Library.Pack("core").Questions[0].Prompt)
}
