package quiz_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"strings"
	"testing"

	"github.com/pyquiz/pyquiz/internal/render"
	"github.com/pyquiz/pyquiz/questions"
	"github.com/pyquiz/pyquiz/quiz"
)

// FuzzParse feeds the loader arbitrary bytes, starting from the built-in
// packs: it must never panic, every problem must carry a position in the
// file, and whatever loads without errors must be usable: answers inside
// the choices, outcomes found for the versions they name, JSON that encodes.
func FuzzParse(f *testing.F) {
	names, _ := fs.Glob(questions.FS, "*.yaml")
	for _, n := range names {
		data, err := fs.ReadFile(questions.FS, n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(header + good))
	f.Add([]byte("format: 1\na: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, probs := quiz.Parse("f.yaml", data)
		for _, pr := range probs {
			if pr.Pos.File != "f.yaml" || pr.Message == "" || pr.Pos.Line < 0 || pr.Pos.Col < 0 {
				t.Fatalf("problem without a usable position or message: %#v", pr)
			}
			_ = pr.Error()
		}
		if p == nil || len(probs.Errors()) > 0 {
			return
		}
		for _, q := range p.Questions {
			for _, c := range q.Answer.Choices {
				if c < 0 || c >= len(q.Choices) {
					t.Fatalf("%s: answer %d outside %d choices", q.FullID(), c, len(q.Choices))
				}
			}
			if (q.Type == quiz.Single) && len(q.Answer.Choices) != 1 {
				t.Fatalf("%s: single question with %d answers", q.FullID(), len(q.Answer.Choices))
			}
			for _, o := range q.Expect {
				_ = quiz.OutcomeAnswer(o)
			}
			if _, err := json.Marshal(q.JSON()); err != nil {
				t.Fatalf("%s: JSON: %v", q.FullID(), err)
			}
		}
		sess := quiz.NewSession(p.Questions, quiz.SessionConfig{Shuffle: true, Seed: 1})
		var out bytes.Buffer
		plain := render.New(&out, false, 80)
		for i, it := range sess.Items {
			plain.Question(it, render.Status{N: i + 1, Total: len(sess.Items)})
		}
		if i := strings.IndexFunc(out.String(), func(r rune) bool {
			return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r <= 0x9f
		}); i >= 0 {
			t.Fatalf("plain rendering carries control character %q at %d", out.String()[i], i)
		}
		render.New(&out, true, 60).Question(sess.Items[0], render.Status{N: 1, Total: 1})
	})
}
