package gift

import (
	"bytes"
	"os"
	"testing"

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
	if _, err := Write(&buf, []*quiz.Pack{p}, nil); err != nil {
		t.Fatalf("export: %v", err)
	}
	back, _, err := Import(buf.Bytes(), ImportOptions{File: "g.gift"})
	if err != nil || len(back.Questions) != len(p.Questions) {
		t.Fatalf("the exported GIFT does not import again (%v):\n%s", err, buf.String())
	}
	text, err := packfile.Marshal(p, "")
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	if _, probs := quiz.Parse("f.yaml", text); len(probs.Errors()) > 0 {
		t.Fatalf("the imported pack does not validate:\n%v\n%s", probs.Errors(), text)
	}
}
