package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/internal/grade"
	"github.com/pyquiz/pyquiz/internal/store"
	"github.com/pyquiz/pyquiz/quiz"
)

// Two packs with their own hint penalties: half the points a hint, and a
// tenth.
const steepPack = `format: 1
pack:
  id: steep
  title: Steep
  version: 1.0.0
  hint_penalty: 0.5
questions:
  - id: q1
    type: truefalse
    prompt: True is an int.
    answer: true
    hints: ["bool subclasses int.", "isinstance(True, int)."]
`

const gentlePack = `format: 1
pack:
  id: gentle
  title: Gentle
  version: 2.0.0
  hint_penalty: 0.1
questions:
  - id: q1
    type: truefalse
    prompt: None is falsy.
    answer: true
    hints: ["bool(None).", "Think of if None:.", "It is."]
  - id: q2
    type: truefalse
    prompt: An empty list is truthy.
    answer: false
    hints: ["bool([])."]
`

// TestMixedPacksKeepTheirHintPenalties: a session over two packs with
// different hint penalties; participants take hints on both. Each answer
// costs its own pack's penalty in the answer's verdict, in the host's
// results, and in `grade --pack steep,gentle` of the results download,
// which gives exactly the host's results.
func TestMixedPacksKeepTheirHintPenalties(t *testing.T) {
	packs := map[string]*quiz.Pack{}
	byID := map[string]*quiz.Question{}
	var qs []*quiz.Question
	for _, src := range []string{steepPack, gentlePack} {
		p, probs := quiz.Parse("pack.yaml", []byte(src))
		require.Empty(t, probs.Errors())
		packs[p.ID] = p
		for _, q := range p.Questions {
			byID[q.FullID()] = q
			qs = append(qs, q)
		}
	}
	ctx := context.Background()
	db, err := store.OpenServe(ctx, filepath.Join(t.TempDir(), "progress.db"))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	c := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	srv, err := New(ctx, Options{Store: db, Questions: byID, Packs: packs, Now: c.now})
	require.NoError(t, err)
	created, err := srv.Create(ctx, Settings{Title: "Mixed", Mode: quiz.Study, Multi: "partial"}, qs)
	require.NoError(t, err)
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { srv.Shutdown(); hs.Close() })
	f := &fixture{t: t, srv: srv, db: db, http: hs, clock: c, id: created.ID, host: created.HostToken, qs: qs}

	hints := func(tok, q string, n int) {
		for range n {
			code, v := f.call("POST", "hints", tok, map[string]string{"question": q})
			require.Equal(t, http.StatusOK, code, "%v", v)
		}
	}
	answer := func(tok, q, a string) map[string]any {
		code, v := f.call("POST", "answers", tok, map[string]string{"question": q, "answer": a})
		require.Equal(t, http.StatusOK, code, "%v", v)
		return v
	}
	ann, bob, cat := f.join("Ann"), f.join("Bob"), f.join("Cat")
	hints(ann, "steep/q1", 1)
	assert.EqualValues(t, 0.5, answer(ann, "steep/q1", "t")["points"], "one hint of steep: half the points")
	hints(ann, "gentle/q1", 2)
	assert.EqualValues(t, 0.8, answer(ann, "gentle/q1", "t")["points"], "two hints of gentle: a fifth off")
	answer(ann, "gentle/q2", "f")
	hints(bob, "gentle/q2", 1)
	assert.EqualValues(t, 0.9, answer(bob, "gentle/q2", "f")["points"])
	answer(bob, "steep/q1", "f")
	answer(bob, "gentle/q1", "t")
	hints(cat, "steep/q1", 2)
	assert.EqualValues(t, 0, answer(cat, "steep/q1", "t")["points"], "two hints of steep leave nothing")
	answer(cat, "gentle/q1", "f")

	code, served := f.call("GET", "results", f.host, nil)
	require.Equal(t, http.StatusOK, code)
	scores := map[string]any{}
	for _, s := range served["sheets"].([]any) {
		s := s.(map[string]any)
		scores[s["student"].(string)] = s["score"]
	}
	assert.Equal(t, map[string]any{"Ann": 2.3, "Bob": 1.9, "Cat": 0.0}, scores, "each hint costs its own pack's penalty in the host's report")

	// grade --pack steep,gentle of the host's JSON download.
	req, _ := http.NewRequest("GET", hs.URL+"/api/v1/sessions/"+created.ID+"/results", nil)
	req.Header.Set("Authorization", "Bearer "+created.HostToken)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var download bytes.Buffer
	download.ReadFrom(resp.Body)
	resp.Body.Close()
	ins, probs := grade.Read("results.json", download.Bytes())
	require.Empty(t, probs)
	both := quiz.Combine("Steep, Gentle", append(append([]*quiz.Question{}, packs["steep"].Questions...), packs["gentle"].Questions...), packs)
	require.Equal(t, "steep,gentle", both.ID)
	rep := grade.Grade(both, ins, probs, grade.Options{Rules: quiz.Rules{Multi: quiz.Partial, HintPenalty: -1}, Pass: grade.DefaultPass})
	var b bytes.Buffer
	require.NoError(t, rep.Write(&b, grade.JSON, grade.WriteOptions{}))
	var want map[string]any
	require.NoError(t, json.Unmarshal(b.Bytes(), &want))
	require.Empty(t, want["problems"])
	for _, m := range []map[string]any{served, want} {
		for _, s := range m["sheets"].([]any) {
			delete(s.(map[string]any), "source")
		}
		delete(m, "title")
	}
	assert.Equal(t, want, served)
}
