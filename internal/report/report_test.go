package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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
			if err != nil {
				t.Fatal(err)
			}
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
	if err := Write(&buf, JSON, session(t), Info{Student: "ada", Seed: 5, Duration: 3 * time.Second}); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"student", "pack", "score", "max", "percent", "answers", "mode", "started", "duration_seconds", "seed"} {
		if _, ok := got[k]; !ok {
			t.Errorf("report lacks %q", k)
		}
	}
	if got["score"] != 1.0 || got["max"] != 3.0 || got["pack"] != "p" {
		t.Errorf("score %v max %v pack %v", got["score"], got["max"], got["pack"])
	}
	answers := got["answers"].([]any)
	first := answers[0].(map[string]any)
	for _, k := range []string{"question", "given", "correct", "points"} {
		if _, ok := first[k]; !ok {
			t.Errorf("answer lacks %q", k)
		}
	}
	// The canonical letters, whatever the display order.
	var a map[string]any
	for _, x := range answers {
		if m := x.(map[string]any); m["question"] == "p/a" {
			a = m
		}
	}
	if a == nil || a["given"] != "a,c" || a["correct"] != true {
		t.Errorf("answer to p/a: %v", a)
	}
}

func TestHTMLIsSelfContainedAndEscaped(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.html")
	if err := WriteFile(path, false, session(t), Info{}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	s := string(data)
	if strings.Contains(s, "<script>") || !strings.Contains(s, "Pick &lt;b&gt;") {
		t.Errorf("pack text not escaped in HTML")
	}
	if strings.Contains(s, "src=") || strings.Contains(s, "<link") {
		t.Errorf("HTML report loads something from elsewhere")
	}
	if !strings.Contains(s, "Score: 1/3 (33%)") {
		t.Errorf("HTML lacks the score")
	}
	if err := WriteFile(filepath.Join(dir, "r.txt"), false, session(t), Info{}); err == nil {
		t.Errorf("a .txt report was accepted")
	}
}

func TestMarkdown(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, Markdown, session(t), Info{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"- Score: **1/3 (33%)**", "Pick \\<b\\>", "- Your answer: a) y, c) w", "- Your answer: (skipped)", "| t | 1 | 1 | 1/1 | 100% |"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("Markdown lacks %q:\n%s", want, buf.String())
		}
	}
}
