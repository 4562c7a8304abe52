package gift

import (
	"bytes"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/internal/packfile"
	"github.com/pyquiz/pyquiz/quiz"
)

// FuzzImport feeds the importer arbitrary bytes, starting from the
// hand-written constructs file: it must never panic, and whatever it
// imports must validate once written as a pack.
func FuzzImport(f *testing.F) {
	data, err := os.ReadFile("testdata/constructs.gift")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	for _, s := range []string{"Q?{T}", "::n::[html]<pre>x</pre>{=a ~b}", "Q?{~%50%a ~%50%b ~c}", "Q?{=*x* =%0%y#z}", "} {", "$CATEGORY: a/b"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, _, err := Import(data, ImportOptions{File: "f.gift"})
		if err != nil {
			return
		}
		checkPack(t, p)
	})
}

// checkPack fails when a pack does not survive writing and loading, or
// exporting to GIFT and importing again.
func checkPack(t *testing.T, p *quiz.Pack) {
	t.Helper()
	var buf bytes.Buffer
	_, err := Write(&buf, []*quiz.Pack{p}, nil)
	require.NoError(t, err, "export")
	back, _, err := Import(buf.Bytes(), ImportOptions{File: "g.gift"})
	require.NoError(t, err, "the exported GIFT does not import again:\n%s", buf.String())
	require.Len(t, back.Questions, len(p.Questions), "the exported GIFT does not import again:\n%s", buf.String())
	text, err := packfile.Marshal(p, "")
	require.NoError(t, err, "marshal")
	_, probs := quiz.Parse("f.yaml", text)
	require.Empty(t, probs.Errors(), "the imported pack does not validate:\n%s", text)
}
