// Package export writes packs for other tools and for paper: a printable
// Markdown exam with a separate answer key, JSON in the shape of `list
// questions --json`, and Anki's text import format. GIFT for Moodle lives
// in package gift, beside its reader.
package export

import (
	"io"

	"github.com/pyquiz/pyquiz/internal/jsonout"
	"github.com/pyquiz/pyquiz/internal/render"
	"github.com/pyquiz/pyquiz/quiz"
)

// packJSON is a pack in JSON: the header fields of the pack format and its
// questions in the stable question shape (PRODUCT.md section 12).
type packJSON struct {
	ID          string              `json:"id"`
	Title       string              `json:"title"`
	Version     string              `json:"version,omitempty"`
	Description string              `json:"description,omitempty"`
	Authors     []string            `json:"authors,omitempty"`
	License     string              `json:"license,omitempty"`
	Python      string              `json:"python,omitempty"`
	Tags        []string            `json:"tags,omitempty"`
	HintPenalty float64             `json:"hint_penalty"`
	Questions   []quiz.QuestionJSON `json:"questions"`
}

// JSON writes {"format": 1, "packs": [...]}.
func JSON(w io.Writer, packs []*quiz.Pack) error {
	out := struct {
		Format int        `json:"format"`
		Packs  []packJSON `json:"packs"`
	}{Format: quiz.FormatVersion, Packs: []packJSON{}}
	for _, p := range packs {
		pj := packJSON{ID: p.ID, Title: p.Title, Version: p.Version, Description: p.Description, Authors: p.Authors,
			License: p.License, Python: p.Python.String(), Tags: p.Tags, HintPenalty: p.HintPenalty,
			Questions: []quiz.QuestionJSON{}}
		for _, q := range p.Questions {
			pj.Questions = append(pj.Questions, q.JSON())
		}
		out.Packs = append(out.Packs, pj)
	}
	return jsonout.Write(w, out)
}

// asked is a question as an exam or a card asks it: output questions whose
// key comes from one Python version say which ("On Python 3.13, ...").
type asked struct {
	q      *quiz.Question
	prompt string
	key    quiz.Answer
}

// Options say how a pack is exported.
type Options struct {
	// Python is the version output questions are asked about; nil for the
	// newest each question allows. The caller leaves out the questions
	// not asked on it (quiz.AskVersion).
	Python *quiz.Version
}

func ask(q *quiz.Question, opts Options) asked {
	v, _ := quiz.AskVersion(q, opts.Python)
	it := &quiz.Item{Question: q, Version: v, VersionShown: q.Type == quiz.Output && !q.Answer.Set}
	return asked{q: q, prompt: render.PromptText(it), key: quiz.KeyFor(q, v)}
}
