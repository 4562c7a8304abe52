package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/internal/export"
)

const samplePack = "testdata/export/sample.yaml"

// TestExportGolden pins every export format of a pack with every question
// type (go test ./internal/cli -update to accept a change).
func TestExportGolden(t *testing.T) {
	for _, format := range []string{"gift", "md", "json", "anki"} {
		t.Run(format, func(t *testing.T) {
			f := testFactory(t)
			stdout, stderr, code := runCmd(t, f, "export", "--format", format, samplePack)
			require.Equal(t, ExitOK, code, stderr)
			golden(t, "export/sample_"+format, stdout)
			if format == "gift" {
				golden(t, "export/sample_gift_notes", stderr)
			}
		})
	}
	f := testFactory(t)
	key := filepath.Join(t.TempDir(), "key.md")
	_, stderr, code := runCmd(t, f, "export", "--format", "md", "--key", key, samplePack)
	require.Equal(t, ExitOK, code, stderr)
	data, err := os.ReadFile(key)
	require.NoError(t, err)
	golden(t, "export/sample_md_key", string(data))
}

// TestExportAnkiHeader checks the Anki file against the rules of Anki's
// text importer: headers first, each a #key:value line Anki knows, tab
// separated notes with as many fields as the header says, the GUID in
// column 1 and the tags in column 4, no line starting with # in the body.
func TestExportAnkiHeader(t *testing.T) {
	f := testFactory(t)
	stdout, _, code := runCmd(t, f, "export", "--format", "anki", samplePack)
	require.Equal(t, ExitOK, code)
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	headers := map[string]string{}
	body := 0
	for i, l := range lines {
		if strings.HasPrefix(l, "#") {
			require.Equal(t, i, len(headers), "header line %q after the notes began", l)
			k, v, ok := strings.Cut(l[1:], ":")
			require.True(t, ok, l)
			headers[strings.ToLower(strings.TrimSpace(k))] = v
			continue
		}
		body++
		fields := strings.Split(l, "\t")
		require.Len(t, fields, 4, "note %d: %q", body, l)
		assert.Regexp(t, `^[0-9A-Za-z]{12}$`, fields[0])
		assert.Contains(t, fields[3], "pyquiz::sample")
		assert.NotContains(t, fields[1], "\n")
	}
	assert.Equal(t, map[string]string{"separator": "tab", "html": "true", "notetype": "Basic",
		"deck": "pyquiz::Export sample: every type", "guid column": "1", "tags column": "4"}, headers)
	assert.Equal(t, 8, body)
	assert.Contains(t, stdout, "<pre><code class='language-python'>fs = [lambda: i for i in range(3)]<br>for f in fs:<br>    print(f(), end=&quot; &quot;)")
}

func TestExportAnkiGUIDStable(t *testing.T) {
	// the GUID depends on the full id only: an edited question keeps it
	assert.Equal(t, export.GUID("sample/late-binding"), export.GUID("sample/late-binding"))
	assert.NotEqual(t, export.GUID("sample/late-binding"), export.GUID("other/late-binding"))
	assert.Equal(t, "EMqaiDQy4jQt", export.GUID("sample/late-binding"))
}

func TestExportJSONShape(t *testing.T) {
	f := testFactory(t)
	stdout, _, code := runCmd(t, f, "export", "--format", "json", samplePack)
	require.Equal(t, ExitOK, code)
	var out struct {
		Format int `json:"format"`
		Packs  []struct {
			ID        string           `json:"id"`
			Questions []map[string]any `json:"questions"`
		} `json:"packs"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &out))
	require.Len(t, out.Packs, 1)
	q := out.Packs[0].Questions[1]
	assert.Equal(t, "sample/immutable-types", q["id"])
	assert.Equal(t, "sample", q["pack"])
	assert.Equal(t, "a,c,e", q["answer"])
	assert.Equal(t, 2.0, q["points"])
}

func TestExportFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"export", samplePack}, "say which format with --format"},
		{[]string{"export", "--format", "pdf", samplePack}, `--format "pdf": use gift, md, json, anki`},
		{[]string{"export", "--format", "gift", "--key", "k.md", samplePack}, "--key writes the answer key of a Markdown exam"},
		{[]string{"export", "--format", "md", "-o", "x.md", "--key", "x.md", samplePack}, "--key and -o name the same file"},
		{[]string{"export", "--format", "md", "no-such-pack"}, "pyquiz: no-such-pack: no such pack"},
	}
	for _, tc := range tests {
		f := testFactory(t)
		_, stderr, code := runCmd(t, f, tc.args...)
		assert.Equal(t, ExitUsage, code, tc.args)
		assert.Contains(t, stderr, tc.want, tc.args)
	}
}
