package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/quiz"
)

func session(t *testing.T) *quiz.Session {
	t.Helper()
	a := &quiz.Question{PackID: "p", ID: "a", Type: quiz.Multi, Prompt: "Pick <b>", Choices: []string{"w", "x", "y", "z"}, Answer: quiz.Answer{Choices: []int{0, 2}, Set: true}, Points: 1, Tags: []string{"t"}, Difficulty: quiz.Easy, Explanation: "Because <script>."}
	b := &quiz.Question{PackID: "p", ID: "b", Type: quiz.TrueFalse, Prompt: "Yes?", Answer: quiz.Answer{Bool: true, Set: true}, Points: 2}
	s := quiz.NewSession([]*quiz.Question{a, b}, quiz.SessionConfig{Mode: quiz.Exam, Shuffle: true, Seed: 5, Rules: quiz.DefaultRules})
	for !s.Done() {
		it := s.Current()
		if it.Question.ID == "a" {
			// display letters that stand for canonical a and c
			var in []string
			for i, c := range it.Order {
				if c == 0 || c == 2 {
					in = append(in, quiz.Letter(i))
				}
			}
			r, err := quiz.ParseResponse(it.Question, strings.Join(in, " "), it.Order)
			require.NoError(t, err)
			s.Answer(r, time.Second)
		} else {
			s.Skip(time.Second)
		}
	}
	s.Finish()
	return s
}

func TestJSONShape(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, JSON, session(t), Info{Student: "ada", Seed: 5, Duration: 3 * time.Second}))
	var got map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &got))
	for _, k := range []string{"student", "pack", "score", "max", "percent", "answers", "mode", "started", "duration_seconds", "seed"} {
		assert.Contains(t, got, k, "report lacks %q", k)
	}
	assert.Equal(t, 1.0, got["score"])
	assert.Equal(t, 3.0, got["max"])
	assert.Equal(t, "p", got["pack"])
	answers := got["answers"].([]any)
	first := answers[0].(map[string]any)
	for _, k := range []string{"question", "given", "correct", "points"} {
		assert.Contains(t, first, k, "answer lacks %q", k)
	}
	// The canonical letters, whatever the display order.
	var a map[string]any
	for _, x := range answers {
		if m := x.(map[string]any); m["question"] == "p/a" {
			a = m
		}
	}
	require.NotNil(t, a, "no answer to p/a")
	assert.Equal(t, "a,c", a["given"])
	assert.Equal(t, true, a["correct"])
}

func TestHTMLIsSelfContainedAndEscaped(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.html")
	require.NoError(t, WriteFile(path, false, session(t), Info{}))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	s := string(data)
	assert.NotContains(t, s, "<script>", "pack text not escaped in HTML")
	assert.Contains(t, s, "Pick &lt;b&gt;", "pack text not escaped in HTML")
	assert.NotContains(t, s, "src=", "HTML report loads something from elsewhere")
	assert.NotContains(t, s, "<link", "HTML report loads something from elsewhere")
	assert.Contains(t, s, "Score: 1/3 (33%)")
	assert.Error(t, WriteFile(filepath.Join(dir, "r.txt"), false, session(t), Info{}), "a .txt report was accepted")
}

func TestMarkdown(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, Markdown, session(t), Info{}))
	for _, want := range []string{"- Score: **1/3 (33%)**", "Pick \\<b\\>", "- Your answer: a) y, c) w", "- Your answer: (skipped)", "| t | 1 | 1 | 1/1 | 100% |"} {
		assert.Contains(t, buf.String(), want)
	}
}
